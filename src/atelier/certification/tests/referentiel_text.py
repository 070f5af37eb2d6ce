"""A reader of the référentiel's source text (../shared/referentiel/*.txt, a three-column table flattened to text,
tab-separated: activité · compétence · modalités d'évaluation · critères d'évaluation), used by the test that
compares the packaged data with the text. Development reference only: the folder is not shipped.

Rules, read from the text itself:
- a competence starts at « C<bloc>.<n> » in the second column;
- the fourth column holds, in the competences' order, one expected result per competence (a sentence in a
  paragraph) followed by its criteria (« - » items); a table row often ends in the middle of a criterion, whose
  end opens the next row in lower case: it is joined to it with one space;
- items that come before the next expected result belong to the previous one.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

CODE = re.compile(r"\bC(\d)\.(\d{1,2})\b")
TAG = re.compile(r"<[^>]+>")


def _text(fragment: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(TAG.sub(" ", fragment))).strip()


def _pieces(cell: str) -> list[str]:
    """A criteria cell cut into paragraphs and « - » items, in order (items keep their leading « - »)."""
    out: list[str] = []
    for block in re.split(r"</?(?:p|ul|li)[^>]*>", cell):
        text = _text(block)
        if not text:
            continue
        # « Heading - item - item » written without HTML, or « - item - item » in a list
        parts = re.split(r"(?:^|\s|(?<=\.))-\s+(?=\S)", text)
        head, items = parts[0].strip(), [p.strip() for p in parts[1:]]
        if head:
            out.append(head)
        out += ["- " + i for i in items]
    return out


def read(path: Path) -> dict:
    """{"C1.1": {"title": wording, "result": expected result, "criteria": [str, ...]}, ...}"""
    rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()]
    codes: list[str] = []
    titles: dict[str, str] = {}
    pieces: list[str] = []
    started = False
    for cols in rows:
        if len(cols) < 2:
            continue
        comp = _text(cols[1])
        if started and comp[:1].islower():  # the wording goes on in the next row
            titles[codes[-1]] += " " + comp
        for m in re.finditer(r"C\d\.\d{1,2} .*?(?=(?:C\d\.\d{1,2} )|$)", comp):
            code = m.group(0).split(" ", 1)[0]
            codes.append(code)
            titles[code] = m.group(0).split(" ", 1)[1].strip()
            started = True
        if started and len(cols) >= 4 and cols[3].strip() != "--":  # « -- »: the table's closing rule
            pieces += _pieces(cols[3])
    result: dict[str, dict] = {}
    current: dict | None = None
    order = iter(codes)
    last_item = False
    for piece in pieces:
        if piece.startswith("- "):
            assert current is not None
            current["criteria"].append(piece[2:])
            last_item = True
        elif piece[0].islower() and last_item:
            current["criteria"][-1] += " " + piece
        elif piece[0].islower() and current is not None:
            current["result"] += " " + piece
        else:
            code = next(order)
            current = {"title": titles[code], "result": piece, "criteria": []}
            result[code] = current
            last_item = False
    return result
