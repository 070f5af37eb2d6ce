"""Read and fill a gettext .po file without gettext tools or polib (the tests and the translation work use it).

python tools/i18n_po.py todo [PO]            the entries still to translate or check: "N<TAB>msgid" (newlines
                                             as \\n, a plural's two forms split by " ||| ")
python tools/i18n_po.py fill TABLE.tsv [PO]  set msgstr from "N<TAB>English" or "N=English" lines (N as printed
                                             by `todo`, plural forms split by " ||| "); the fuzzy flag is removed
"""

from __future__ import annotations

import ast
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

PO = Path(__file__).resolve().parent.parent / "src/atelier/locale/en/LC_MESSAGES/django.po"
KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*")$')


@dataclass
class Entry:
    lines: list[str]
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False


def _parse_block(lines: list[str]) -> Entry:
    e = Entry(lines=lines)
    key = ""
    for line in lines:
        if line.startswith("#~"):
            e.obsolete = True
        elif line.startswith("#,"):
            e.flags |= {f.strip() for f in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif m := KEYWORD.match(line):
            key, value = m.group(1), ast.literal_eval(m.group(2))
            if key.startswith("msgstr"):
                e.msgstr.append(value)
            elif key == "msgid_plural":
                e.msgid_plural = value
            elif key == "msgctxt":
                e.msgctxt = value
            else:
                e.msgid = value
        elif line.startswith('"'):
            value = ast.literal_eval(line)
            if key.startswith("msgstr"):
                e.msgstr[-1] += value
            elif key == "msgid_plural":
                e.msgid_plural = (e.msgid_plural or "") + value
            elif key == "msgctxt":
                e.msgctxt = (e.msgctxt or "") + value
            else:
                e.msgid += value
    return e


def blocks(text: str) -> list[Entry]:
    """Every block of the file in order (the header first), obsolete ones included."""
    return [_parse_block(b.split("\n")) for b in re.split(r"\n\s*\n", text.strip("\n")) if b.strip()]


def entries(text: str) -> list[Entry]:
    """The live messages (no header, no obsolete #~ entry)."""
    return [e for e in blocks(text) if e.msgid and not e.obsolete]


def quote(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t") + '"'


def todo(text: str) -> list[tuple[int, Entry]]:
    return [(n, e) for n, e in enumerate(entries(text)) if not all(e.msgstr) or "fuzzy" in e.flags]


def _filled(e: Entry, forms: list[str]) -> list[str]:
    kept, in_msgstr = [], False
    for line in e.lines:
        if line.startswith("#|"):
            continue
        if line.startswith("#,"):
            flags = [f.strip() for f in line[2:].split(",") if f.strip() != "fuzzy"]
            if flags:
                kept.append("#, " + ", ".join(flags))
            continue
        if KEYWORD.match(line):
            in_msgstr = line.startswith("msgstr")
        if not in_msgstr:
            kept.append(line)
    if e.msgid_plural is None:
        return kept + ["msgstr " + quote(forms[0])]
    forms = forms if len(forms) > 1 else forms * 2
    return kept + [f"msgstr[{k}] {quote(f)}" for k, f in enumerate(forms)]


def fill(table: Path, po: Path) -> int:
    text = po.read_text(encoding="utf-8")
    every = blocks(text)
    live = [e for e in every if e.msgid and not e.obsolete]
    done = 0
    for row in table.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^(\d+)[\t=](.*)$", row)
        if not m:
            continue
        n, english = m.groups()
        e = live[int(n)]
        e.lines = _filled(e, [f.replace("\\n", "\n") for f in english.rstrip("\n").split(" ||| ")])
        done += 1
    po.write_text("\n\n".join("\n".join(e.lines) for e in every) + "\n", encoding="utf-8")
    return done


def main(argv: list[str]) -> int:
    po = PO
    if argv[0] == "todo":
        po = Path(argv[1]) if len(argv) > 1 else PO
        for n, e in todo(po.read_text(encoding="utf-8")):
            plural = f" ||| {e.msgid_plural}" if e.msgid_plural is not None else ""
            print(f"{n}\t{e.msgid}{plural}".replace("\n", "\\n"))
    elif argv[0] == "fill":
        po = Path(argv[2]) if len(argv) > 2 else PO
        print(fill(Path(argv[1]), po), "entries filled")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
