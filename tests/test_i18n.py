"""The English catalogue covers the whole interface, French stays the default.

Runs without gettext tools: the .po is read by tools/i18n_po.py, the .mo by the standard library, the messages of
the sources are extracted with Django's own templatize (templates) and the ast module (Python). A new French
string without its English text fails here, with the command that fixes it (`make messages`).
"""

import ast
import gettext
import importlib.util
import re
import sys
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils.translation.template import templatize

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src/atelier"
PO = PACKAGE / "locale/en/LC_MESSAGES/django.po"
MO = PO.with_suffix(".mo")
FIX = "run `make messages`, translate the new entries in the .po, then `make messages` again (see DEVELOPERS.md)"


def _tool(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


po_tool = _tool("i18n_po")
ENTRIES = po_tool.entries(PO.read_text(encoding="utf-8"))
GETTEXT_NAMES = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy"}
TEMPLATE_CALL = re.compile(r"""\b(?:n?gettext|_)\(\s*u?('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")""")


def _python_msgids(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            args = node.args[1:] if name in ("pgettext", "pgettext_lazy") else node.args
            if (
                name in GETTEXT_NAMES
                and args
                and isinstance(args[0], ast.Constant)
                and isinstance(args[0].value, str)
            ):
                found.add(args[0].value)
    return found


def _is_test(path: Path) -> bool:
    return "tests" in path.parts or path.name.startswith("test_") or path.name == "tests.py"


def source_msgids() -> dict[str, str]:
    """msgid → the file it comes from, for every translatable string of the package (tests excepted)."""
    found: dict[str, str] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if not _is_test(path) and "migrations" not in path.parts:
            for msgid in _python_msgids(path):
                found.setdefault(msgid, str(path.relative_to(PACKAGE)))
    templates = [*PACKAGE.glob("*/templates/**/*.html"), *PACKAGE.glob("*/templates/**/*.txt")]  # e-mails
    for path in sorted(templates):
        code = templatize(path.read_text(encoding="utf-8"), origin=str(path))
        for literal in TEMPLATE_CALL.findall(code):
            found.setdefault(ast.literal_eval(literal), str(path.relative_to(PACKAGE)))
    return found


def test_every_entry_has_its_english_text_and_none_is_fuzzy():
    assert len(ENTRIES) > 3000
    missing = [e.msgid for e in ENTRIES if not all(e.msgstr) or not e.msgstr]
    fuzzy = [e.msgid for e in ENTRIES if "fuzzy" in e.flags]
    assert missing == [], f"{len(missing)} entries without English: {FIX}"
    assert fuzzy == [], (
        f"{len(fuzzy)} fuzzy entries (guessed by msgmerge): check them and remove the fuzzy flag"
    )


def test_every_string_of_the_templates_and_the_code_is_in_the_catalogue():
    in_po = {e.msgid for e in ENTRIES}  # (a msgctxt entry counts: its msgid is also used without context)
    absent = {msgid: where for msgid, where in source_msgids().items() if msgid not in in_po}
    assert absent == {}, f"{len(absent)} strings not in the catalogue: {FIX}"


def test_the_catalogue_lists_no_string_the_sources_lost():
    # makemessages --no-obsolete drops them; a hand edit could leave some
    assert {e.msgid for e in ENTRIES} - set(source_msgids()) == set(), FIX


PLACEHOLDER = re.compile(r"%\(\w+\)[sdfr]|\{\w+\}")


def test_translations_keep_every_placeholder():
    changed = {}
    for e in ENTRIES:
        expected = sorted(set(PLACEHOLDER.findall(e.msgid + (e.msgid_plural or ""))))
        for text in e.msgstr:
            if sorted(set(PLACEHOLDER.findall(text))) != expected:
                changed[e.msgid] = text
    assert len([e for e in ENTRIES if PLACEHOLDER.search(e.msgid)]) > 500
    assert changed == {}


def test_the_compiled_catalogue_is_the_po():
    with MO.open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    catalog = compiled._catalog  # the standard library's parsed .mo: {msgid: msgstr, (msgid, n): msgstr}
    expected = {}
    for e in ENTRIES:
        key = e.msgid if e.msgctxt is None else f"{e.msgctxt}\x04{e.msgid}"
        if e.msgid_plural is None:
            expected[key] = e.msgstr[0]
        else:
            expected.update({(key, n): text for n, text in enumerate(e.msgstr)})
    stale = {k: (catalog.get(k), v) for k, v in expected.items() if catalog.get(k) != v}
    assert stale == {}, "django.mo is older than django.po: run `make messages` (it compiles)"
    assert {k for k in catalog if k != ""} == set(expected)


def test_every_template_is_converted_to_translation_tags():
    converter = _tool("i18n_templates")
    unconverted = []
    for path in sorted(PACKAGE.glob("*/templates/**/*.html")):
        source = path.read_text(encoding="utf-8")
        if converter.Converter(source, path.name).run() != source:
            unconverted.append(str(path.relative_to(ROOT)))
    assert unconverted == [], "run `python tools/i18n_templates.py` (or `make messages`)"


def test_the_converter_wraps_text_attributes_and_variables_once():
    converter = _tool("i18n_templates")
    source = (
        '{% extends "base.html" %}{% block content %}<h1 title="Fiche client">Dossier {{ case.number }}</h1>\n'
        '<p>{{ n }} pièce{{ n|pluralize }} · L\'appareil "rouge"</p>{% if x %}Oui{% endif %}'
        '<script>var a = "Non";</script>{# Commentaire #}<td>{{ x|default:"aucun" }}</td> 12 € {% endblock %}'
    )
    once = converter.Converter(source, "t.html").run()
    assert once == (
        '{% extends "base.html" %}\n{% load i18n %}{% block content %}<h1 title="{% translate \'Fiche client\' %}">'
        "{% blocktranslate with number=case.number %}Dossier {{ number }}{% endblocktranslate %}</h1>\n"
        '<p>{% blocktranslate with n2=n|pluralize %}{{ n }} pièce{{ n2 }} · L\'appareil "rouge"'
        '{% endblocktranslate %}</p>{% if x %}{% translate "Oui" %}{% endif %}'
        '<script>var a = "Non";</script>{# Commentaire #}<td>{{ x|default:_("aucun") }}</td> 12 € {% endblock %}'
    )
    assert converter.Converter(once, "t.html").run() == once


def _get(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200
    return response.content.decode()


def test_a_browser_asking_for_english_still_gets_french(client):
    html = _get(client, reverse("login"), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert '<html lang="fr">' in html
    assert "<h1>Connexion</h1>" in html
    assert '<input class="linklike" type="submit" value="English" lang="en" id="language-en">' in html


def test_choosing_english_gives_the_login_page_in_english_and_back(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert response.status_code == 302 and response.url == reverse("login")
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    html = _get(client, reverse("login"))
    assert '<html lang="en">' in html
    assert "<h1>Log in</h1>" in html
    assert '<button type="submit" class="btn primary">Log in</button>' in html
    assert 'value="Français" lang="fr" id="language-fr">' in html
    client.post(reverse("set_language"), {"language": "fr", "next": reverse("login")})
    assert "<h1>Connexion</h1>" in _get(client, reverse("login"))


def test_the_repair_file_list_in_english(client, accueil):
    client.force_login(accueil)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = _get(client, reverse("repairs:list"))
    assert "<h1>After-sales repair files</h1>" in html
    for english in (">Home</a>", ">Customers</a>", ">Repair files</a>", ">Log out</button>"):
        assert english in html
    assert "Dossiers SAV" not in html


def test_an_unknown_language_in_the_cookie_means_french(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    assert "<h1>Connexion</h1>" in _get(client, reverse("login"))


def test_english_does_not_leak_into_the_next_request_of_the_thread(client):
    from django.utils import translation

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    _get(client, reverse("login"))
    assert translation.get_language() == settings.LANGUAGE_CODE
