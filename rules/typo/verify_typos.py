#!/usr/bin/env python3
"""Check common-typo.tsv against the acceptance criteria in its header.

Usage: python3 verify_typos.py [common-typo.tsv]
Needs the PyPI package `jieba` (only for this check; gwlint itself uses jieba-rs).
Exits 1 when an entry violates a criterion. "dictionary-word" is only a note: jieba's
dictionary is built from a corpus and contains common misspellings (擅于, 震憾) as words;
what matters is that a wrong form never sits inside a longer correct word.
"""
import os
import re
import sys

import jieba

HAN = re.compile(r"^[\u4e00-\u9fff]{2,}$")
MIN_FREQ = 5


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "common-typo.tsv")
    entries = []
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        line = line.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        entries.append((n, cols[0], cols[1] if len(cols) > 1 else ""))
    dict_path = os.path.join(os.path.dirname(jieba.__file__), "dict.txt")
    words = {}
    for line in open(dict_path, encoding="utf-8"):
        parts = line.split()
        if len(parts) >= 2:
            words[parts[0]] = int(parts[1])
    by_char = {}
    for w, f in words.items():
        if f >= MIN_FREQ and len(w) >= 2:
            for c in set(w):
                by_char.setdefault(c, []).append(w)
    wrongs = {w for _, w, _ in entries}
    rights = [r for _, _, r in entries]
    problems = {"shape": [], "duplicate": [], "dictionary-word": [], "inside-word": [], "in-a-correction": []}
    seen = set()
    for n, wrong, right in entries:
        if not HAN.match(wrong) or not right or wrong == right:
            problems["shape"].append((n, wrong))
        if wrong in seen:
            problems["duplicate"].append((n, wrong))
        seen.add(wrong)
        if words.get(wrong, 0) >= MIN_FREQ:
            problems["dictionary-word"].append((n, wrong))
        hosts = [w for w in by_char.get(wrong[0], []) if wrong in w and w != wrong and w not in wrongs]
        if hosts:
            problems["inside-word"].append((n, wrong, hosts[:3]))
        if any(wrong in r for r in rights):
            problems["in-a-correction"].append((n, wrong))
    print(f"{len(entries)} entries checked")
    bad = 0
    for kind, items in problems.items():
        note = kind == "dictionary-word"
        print(f"  {kind}: {len(items)}" + (" (note only)" if note else ""))
        if not note:
            for it in items:
                print(f"    line {it[0]}: {it[1:]}")
            bad += len(items)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
