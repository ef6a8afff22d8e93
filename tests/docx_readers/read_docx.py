"""Read a .docx the way a real OOXML reader does and print what it holds, as JSON.

Used by tests/annotate.rs. python-docx (1.2+) opens the package and lists the comments
(author, text); the comment anchors and tracked changes are read from the document body
python-docx parsed (its lxml tree): for each comment, the text between its
commentRangeStart and commentRangeEnd (as shown, and as it was before the tracked changes), and each w:ins / w:del with its author, date and text.
Usage: read_docx.py FILE.docx
"""

import json
import sys

import docx
from docx.oxml.ns import qn

W_T, W_DELTEXT, W_TAB, W_BR, W_CR = qn("w:t"), qn("w:delText"), qn("w:tab"), qn("w:br"), qn("w:cr")
START, END = qn("w:commentRangeStart"), qn("w:commentRangeEnd")
INS, DEL, P = qn("w:ins"), qn("w:del"), qn("w:p")
FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def char_of(el):
    """The visible text an element contributes (current view: deleted text excluded)."""
    if el.tag == W_T:
        return el.text or ""
    if el.tag == W_TAB:
        return "\t"
    if el.tag in (W_BR, W_CR):
        kind = el.get(qn("w:type"))
        return "\n" if kind in (None, "textWrapping") else ""
    return ""


def main(path):
    document = docx.Document(path)
    comments = {
        c.comment_id: {
            "id": c.comment_id,
            "author": c.author,
            "text": c.text,
            "anchor": "",
            "anchor_before_revisions": "",
        }
        for c in document.comments
    }
    open_ranges = []
    revisions = []
    body = document.element.body
    for el in body.iter():
        if any(a.tag == FALLBACK for a in el.iterancestors()):
            continue
        if el.tag == START:
            open_ranges.append(int(el.get(qn("w:id"))))
        elif el.tag == END:
            cid = int(el.get(qn("w:id")))
            if cid in open_ranges:
                open_ranges.remove(cid)
        elif el.tag in (INS, DEL):
            parent_is_rpr = el.getparent().tag == qn("w:rPr")
            text = "".join(
                (t.text or "") for t in el.iter(W_T if el.tag == INS else W_DELTEXT)
            )
            revisions.append(
                {
                    "kind": "ins" if el.tag == INS else "del",
                    "author": el.get(qn("w:author")),
                    "date": el.get(qn("w:date")),
                    "text": "\n" if parent_is_rpr else text,
                    "paragraph_mark": parent_is_rpr,
                }
            )
        else:
            ch = char_of(el)
            deleted = any(a.tag == DEL for a in el.iterancestors())
            inserted = any(a.tag == INS for a in el.iterancestors())
            before = (el.text or "") if el.tag == W_DELTEXT else ("" if inserted else ch)
            for cid in open_ranges:
                if cid in comments:
                    comments[cid]["anchor"] += "" if deleted else ch
                    comments[cid]["anchor_before_revisions"] += before
    paragraphs = [p.text for p in document.paragraphs]
    json.dump(
        {
            "comments": sorted(comments.values(), key=lambda c: c["id"]),
            "revisions": revisions,
            "paragraphs": paragraphs,
        },
        sys.stdout,
        ensure_ascii=False,
        indent=1,
    )


if __name__ == "__main__":
    main(sys.argv[1])
