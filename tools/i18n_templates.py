"""Wrap the user-visible French text of Django templates in translation tags. Idempotent.

    python tools/i18n_templates.py [--check] [PATH ...]     (default: every src/atelier/*/templates/**/*.html)

Django's own template lexer separates text from tags; an HTML scan of the text then finds what a user sees:
- a text node → {% translate "…" %} (or {% blocktranslate trimmed %} when it spans lines or holds both quotes);
- text mixed with variables → {% blocktranslate with a=x.y %}…{{ a }}…{% endblocktranslate %} (filters kept in
  the `with`); a block tag ({% if %}, {% url %}…) inside a sentence splits it into separately translated parts;
- the attributes placeholder, title, aria-label, alt, hx-confirm and the value of submit / button inputs;
- French string literals given to |default, |default_if_none, |yesno, to |date when the format holds a French
  word, and to `with name="…"` → _("…").
`{% load i18n %}` is added after {% extends %} (or at the top) when a template uses the tags.
Left alone: what is already inside {% translate %} / {% blocktranslate %}, <script> / <style> / <!-- --> and
{# #} / {% comment %} / {% verbatim %} content, text without a letter (punctuation, numbers, entities).
What it cannot convert safely (an attribute mixing text and block tags, French inside a script, another string
literal that looks French) is printed as file:line for a hand fix. --check changes nothing and exits 1 when a file
would change (used by the tests: every template is converted).
"""

from __future__ import annotations

import bisect
import re
import sys
from pathlib import Path

from django.template.base import DebugLexer, TokenType

ROOT = Path(__file__).resolve().parent.parent
OPEN, CLOSE = "\ue000", "\ue001"
PLACEHOLDER = re.compile(f"{OPEN}(\\d+){CLOSE}")
LETTER = re.compile(r"[^\W\d_]")
ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);")
VISIBLE_ATTRS = ("placeholder", "title", "aria-label", "alt", "hx-confirm", "data-confirm")
ATTR = re.compile(
    r"""(?P<pre>\s)(?P<name>[a-zA-Z_:][-a-zA-Z0-9_:.]*)=(?P<q>["'])(?P<value>.*?)(?P=q)""", re.S
)
SIMPLE_VAR = re.compile(r"^[A-Za-z_][\w.]*$")
FILTER_LITERAL = re.compile(r"""\|(default|default_if_none|yesno|date|time):(["'])(.*?)\2""")
KWARG_LITERAL = re.compile(r"""(?<=\s)(\w+)=(["'])(.*?)\2""")
OPAQUE_PAIRS = {
    "blocktranslate": "endblocktranslate",
    "blocktrans": "endblocktrans",
    "comment": "endcomment",
    "verbatim": "endverbatim",
}


def has_words(text: str) -> bool:
    return bool(LETTER.search(ENTITY.sub(" ", text)))


def looks_french(text: str) -> bool:
    """A literal a user reads: words with a space, an accent or a capital (not a code such as "day")."""
    return has_words(text) and bool(re.search(r"[\sÀ-ÿ]|^[A-ZÀ-Ý]", text))


class Converter:
    def __init__(self, source: str, name: str):
        self.source = source
        self.name = name
        self.reports: list[str] = []
        self.chunks: list[str] = []  # placeholder index → original template code
        self.kinds: list[str] = []  # "var" (plain), "varf" (with filters), "block"
        self.changed = False
        self.used_tags = "{% translate" in source or "{% blocktranslate" in source

    # -- positions for the reports
    def line_of(self, pos: int) -> int:
        return self.source.count("\n", 0, pos) + 1

    def report(self, pos: int, what: str) -> None:
        self.reports.append(f"{self.name}:{self.line_of(pos)}: {what}")

    # -- step 1: template tokens → placeholders
    def fix_literals(self, contents: str, kind: TokenType, pos: int) -> str:
        def filt(m: re.Match) -> str:
            if not has_words(m.group(3)) or (
                m.group(1) in ("date", "time") and not re.search("[À-ÿ]", m.group(3))
            ):
                return m.group(0)
            self.changed = True
            return f"|{m.group(1)}:_({m.group(2)}{m.group(3)}{m.group(2)})"

        new = FILTER_LITERAL.sub(filt, contents)
        if kind == TokenType.BLOCK and new.split()[0] in ("include", "with"):

            def kw(m: re.Match) -> str:
                if not looks_french(m.group(3)):
                    return m.group(0)
                self.changed = True
                return f"{m.group(1)}=_({m.group(2)}{m.group(3)}{m.group(2)})"

            new = KWARG_LITERAL.sub(kw, new)
        if kind == TokenType.BLOCK and new.split()[0] in ("translate", "trans"):
            return new
        rest = re.sub(r"""_\((["']).*?\1\)|\|(date|time|stringformat|floatformat):(["']).*?\3""", "", new)
        if kind == TokenType.BLOCK:
            rest = re.sub(r"^\s*(url|include|extends|static|load|block|cycle|now)\b.*", "", rest)
        for _q, lit in re.findall(r"""(["'])(.*?)\1""", rest):
            if looks_french(lit) and not re.match(r"^[\w/.-]+\.html$", lit):
                self.report(pos, f"string literal not translated: {lit!r}")
        return new

    def placeholders(self) -> tuple[str, list[int], list[int]]:
        tokens = DebugLexer(self.source).tokenize()
        out: list[str] = []
        s_starts: list[int] = []  # start of each piece in the placeholder string
        o_starts: list[int] = []  # its start in the source
        s_len = 0
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            start, end = tok.position
            if tok.token_type == TokenType.TEXT:
                piece = self.source[start:end]
            else:
                kind = "block"
                code = self.source[start:end]
                if tok.token_type == TokenType.BLOCK:
                    word = tok.contents.split()[0] if tok.contents.split() else ""
                    if word in OPAQUE_PAIRS:
                        j = i + 1
                        while j < len(tokens) and not (
                            tokens[j].token_type == TokenType.BLOCK
                            and tokens[j].contents.split()[:1] == [OPAQUE_PAIRS[word]]
                        ):
                            j += 1
                        end = tokens[min(j, len(tokens) - 1)].position[1]
                        code = self.source[start:end]
                        i = j
                    else:
                        inner = self.fix_literals(tok.contents, tok.token_type, start)
                        code = "{% " + inner + " %}" if inner != tok.contents else code
                elif tok.token_type == TokenType.VAR:
                    inner = self.fix_literals(tok.contents, tok.token_type, start)
                    if inner != tok.contents:
                        code = "{{ " + inner + " }}"
                    kind = "var" if SIMPLE_VAR.match(inner) else "varf"
                self.chunks.append(code)
                self.kinds.append(kind)
                piece = f"{OPEN}{len(self.chunks) - 1}{CLOSE}"
            s_starts.append(s_len)
            o_starts.append(start)
            out.append(piece)
            s_len += len(piece)
            i += 1
        return "".join(out), s_starts, o_starts

    # -- step 2: HTML scan of the placeholder string
    def run(self) -> str:
        text, s_starts, o_starts = self.placeholders()

        def orig(pos: int) -> int:
            k = bisect.bisect_right(s_starts, pos) - 1
            return o_starts[k] + (pos - s_starts[k]) if k >= 0 else 0

        self.orig = orig
        out: list[str] = []
        pos = 0
        scanner = re.compile(r"<!--.*?-->|<(script|style)\b[^>]*>.*?</\1\s*>|<[a-zA-Z/!][^>]*>", re.S | re.I)
        for m in scanner.finditer(text):
            out.append(self.text_run(text[pos : m.start()], pos))
            raw = m.group(0)
            if m.group(1):
                body = PLACEHOLDER.sub("", raw[raw.index(">") + 1 : raw.rindex("<")])
                if m.group(1).lower() == "script" and re.search(r"[À-ÿ]", body):
                    self.report(orig(m.start()), "French text inside <script>: move it to the template")
                out.append(raw)
            elif raw.startswith("<!--"):
                out.append(raw)
            else:
                out.append(self.tag(raw, m.start()))
            pos = m.end()
        out.append(self.text_run(text[pos:], pos))
        result = PLACEHOLDER.sub(lambda m: self.chunks[int(m.group(1))], "".join(out))
        if self.used_tags and not re.search(r"\{%\s*load\s[^%]*\bi18n\b", result):
            ext = re.match(r"\s*\{%\s*extends\s[^%]*%\}", result)
            if ext:
                result = result[: ext.end()] + "\n{% load i18n %}" + result[ext.end() :]
            else:
                result = "{% load i18n %}" + result
        return result

    def tag(self, raw: str, at: int) -> str:
        lower = raw.lower()
        is_submit = lower.startswith("<input") and re.search(r"""type=["']?(submit|button|reset)""", lower)

        def attr(m: re.Match) -> str:
            name = m.group("name").lower()
            if name not in VISIBLE_ATTRS and not (name == "value" and is_submit):
                return m.group(0)
            value = m.group("value")
            if not has_words(PLACEHOLDER.sub("", value)):
                return m.group(0)
            if any(self.kinds[int(i)] == "block" for i in PLACEHOLDER.findall(value)):
                self.report(
                    self.orig(at + m.start()), f"attribute {name} mixes text and tags: translate by hand"
                )
                return m.group(0)
            q = m.group("q")
            return f"{m.group('pre')}{m.group('name')}={q}{self.wrap(value, in_attr=q)}{q}"

        return ATTR.sub(attr, raw)

    def text_run(self, run: str, at: int) -> str:
        """Split at block placeholders; wrap each part that has words."""
        parts = re.split(f"({OPEN}\\d+{CLOSE})", run)
        out: list[str] = []
        segment: list[str] = []

        def flush() -> None:
            seg = "".join(segment)
            segment.clear()
            core = seg.strip()
            if not core or not has_words(PLACEHOLDER.sub("", core)):
                out.append(seg)
                return
            lead = seg[: len(seg) - len(seg.lstrip())]
            trail = seg[len(seg.rstrip()) :]
            out.append(lead + self.wrap(core) + trail)

        for part in parts:
            m = PLACEHOLDER.fullmatch(part)
            if m and self.kinds[int(m.group(1))] == "block":
                flush()
                out.append(part)
            else:
                segment.append(part)
        flush()
        return "".join(out)

    def wrap(self, core: str, in_attr: str = "") -> str:
        self.changed = True
        self.used_tags = True
        names: dict[str, str] = {}  # expression → name
        withs: list[str] = []

        def var(m: re.Match) -> str:
            code = self.chunks[int(m.group(1))]
            expr = code[2:-2].strip()
            if expr not in names:
                if SIMPLE_VAR.match(expr) and "." not in expr:
                    names[expr] = expr
                else:
                    base = re.sub(r"\W", "_", expr.split("|")[0].split(".")[-1]) or "value"
                    name, n = base, 2
                    while name in names.values():
                        name, n = f"{base}{n}", n + 1
                    names[expr] = name
                    withs.append(f"{name}={expr}")
            return "{{ " + names[expr] + " }}"

        body = PLACEHOLDER.sub(var, core)
        if not names and "\n" not in body and "\\" not in body:
            for q in ('"', "'"):
                if q not in body and q != in_attr:
                    return "{% translate " + q + body + q + " %}"
        opts = (" with " + " ".join(withs) if withs else "") + (" trimmed" if "\n" in body else "")
        return "{% blocktranslate" + opts + " %}" + body + "{% endblocktranslate %}"


def template_files(args: list[str]) -> list[Path]:
    if args:
        return [Path(a) for a in args]
    return sorted(ROOT.glob("src/atelier/*/templates/**/*.html"))


def main(argv: list[str]) -> int:
    import django
    from django.conf import settings

    if not settings.configured:
        settings.configure()
    django.setup()
    check = "--check" in argv
    files = template_files([a for a in argv if not a.startswith("--")])
    changed, reports = [], []
    for path in files:
        source = path.read_text(encoding="utf-8")
        conv = Converter(source, str(path.relative_to(ROOT) if path.is_absolute() else path))
        result = conv.run()
        reports.extend(conv.reports)
        if result != source:
            changed.append(path)
            if not check:
                path.write_text(result, encoding="utf-8")
    for line in reports:
        print(line)
    verb = "would change" if check else "changed"
    print(f"{len(files)} templates, {len(changed)} {verb}, {len(reports)} to do by hand", file=sys.stderr)
    return 1 if check and changed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
