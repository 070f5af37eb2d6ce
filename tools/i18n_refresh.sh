#!/bin/sh
# Refresh the English catalogue after templates or Python strings changed (needs Debian's gettext: msgfmt…):
#   1. wrap new template text in translation tags (tools/i18n_templates.py; prints what needs a hand fix),
#   2. makemessages: new msgids are added with an empty msgstr, existing translations are kept, gone ones dropped,
#   3. compile django.mo and print how many entries still need an English text (tests/test_i18n.py fails until 0).
set -eu
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
[ -x "$BIN/python" ] || BIN=$(dirname "$(command -v python3)")
BIN=$(cd "$BIN" && pwd)  # absolute: makemessages runs from src/atelier
command -v msgfmt >/dev/null || { echo "msgfmt manquant : apt-get install gettext" >&2; exit 1; }
export PYTHONPATH="$PWD/src" ATELIER_DEBUG=1 DJANGO_SETTINGS_MODULE=atelier.config.settings
export ATELIER_DATA_DIR="${ATELIER_DATA_DIR:-$(mktemp -d)}"
"$BIN/python" tools/i18n_templates.py
(cd src/atelier && "$BIN/python" -m django makemessages -l en --no-obsolete --add-location file \
    --ignore 'tests/*' --ignore '*/tests/*' --ignore 'test_*.py' --ignore 'tests.py')
PO=src/atelier/locale/en/LC_MESSAGES/django.po
sed -i '/^"POT-Creation-Date: /d' "$PO"  # a date per run would make every merge of the catalogue conflict
msgfmt --check-format -o "${PO%.po}.mo" "$PO"
msgfmt --statistics -o /dev/null "$PO" 2>&1
echo "Entries to translate: msgattrib --untranslated $PO ; to check (guessed by msgmerge): msgattrib --only-fuzzy $PO"
