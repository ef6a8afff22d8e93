"""Read what LibreOffice made of a .docx (converted to flat ODF, .fodt) and print it as JSON.

Used by tests/annotate.rs after `soffice --headless --convert-to fodt`. Standard library
only. Prints the annotations (author, paragraphs of text, the text they are anchored on)
and the tracked changes (kind, author, date, the text inside the change).
Usage: read_fodt.py FILE.fodt
"""

import json
import sys
import xml.etree.ElementTree as ET

NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
}


def q(prefix, name):
    return "{%s}%s" % (NS[prefix], name)


ANNOTATION, ANNOTATION_END = q("office", "annotation"), q("office", "annotation-end")
CHANGE_START, CHANGE_END = q("text", "change-start"), q("text", "change-end")
TRACKED = q("text", "tracked-changes")
SPACE, TAB, BREAK = q("text", "s"), q("text", "tab"), q("text", "line-break")


def paragraph_text(el):
    out = [el.text or ""]
    for child in el:
        if child.tag == SPACE:
            out.append(" " * int(child.get(q("text", "c"), "1")))
        elif child.tag == TAB:
            out.append("\t")
        elif child.tag == BREAK:
            out.append("\n")
        elif child.tag not in (ANNOTATION, TRACKED):
            out.append(paragraph_text(child))
        out.append(child.tail or "")
    return "".join(out)


def main(path):
    root = ET.parse(path).getroot()
    body = root.find("office:body/office:text", NS)
    annotations, order, changes = {}, [], {}
    for region in body.iter(q("text", "changed-region")):
        kind = region[0]
        changes[region.get(q("text", "id"))] = {
            "kind": kind.tag.split("}")[1],
            "author": kind.findtext("office:change-info/dc:creator", "", NS),
            "date": kind.findtext("office:change-info/dc:date", "", NS),
            "text": "",
        }
    open_annotations, open_changes = [], []

    def add(s):
        for name in open_annotations:
            annotations[name]["anchor"] += s
        for cid in open_changes:
            if cid in changes:
                changes[cid]["text"] += s

    paragraph_tags = (q("text", "p"), q("text", "h"))

    def walk(el, inside=False):
        # whitespace between block elements is LibreOffice's indentation, not text
        inside = inside or el.tag in paragraph_tags
        text = lambda s: add(s or "") if inside else None
        text(el.text)
        for child in el:
            if child.tag == ANNOTATION:
                name = child.get(q("office", "name"))
                annotations[name] = {
                    "author": child.findtext("dc:creator", "", NS),
                    "paragraphs": [paragraph_text(p) for p in child.findall("text:p", NS)],
                    "anchor": "",
                }
                order.append(name)
                open_annotations.append(name)
            elif child.tag == ANNOTATION_END:
                name = child.get(q("office", "name"))
                if name in open_annotations:
                    open_annotations.remove(name)
            elif child.tag == CHANGE_START:
                open_changes.append(child.get(q("text", "change-id")))
            elif child.tag == CHANGE_END:
                cid = child.get(q("text", "change-id"))
                if cid in open_changes:
                    open_changes.remove(cid)
            elif child.tag == SPACE:
                add(" " * int(child.get(q("text", "c"), "1")))
            elif child.tag == TAB:
                add("\t")
            elif child.tag == BREAK:
                add("\n")
            elif child.tag != TRACKED:
                walk(child, inside)
                if child.tag in paragraph_tags:
                    add("\n")
            text(child.tail)

    walk(body)
    json.dump(
        {"annotations": [annotations[n] for n in order], "changes": list(changes.values())},
        sys.stdout,
        ensure_ascii=False,
        indent=1,
    )


if __name__ == "__main__":
    main(sys.argv[1])
