# Two commands for a fresh Debian/Ubuntu machine with Python 3.11+: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SUDO   := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: demo test lint run clean venv messages serve backup

# The virtual environment, rebuilt when pyproject.toml changes.
$(BIN)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 ou plus est requis"'
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq python3-venv; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	@touch $@

venv: $(BIN)/.installed

# WeasyPrint (quote and repair-order PDFs) needs Debian's pango and a font; installed when missing.
WEASYPRINT_LIBS := /usr/lib/$(shell uname -m)-linux-gnu/libpangoft2-1.0.so.0
$(WEASYPRINT_LIBS):
	$(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core

# Debian's Chromium drives the end-to-end tests (Playwright uses it; no browser download).
/usr/bin/chromium:
	$(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

demo: venv $(WEASYPRINT_LIBS)
	ATELIER_DEBUG=1 $(BIN)/atelier migrate --noinput -v 0
	ATELIER_DEBUG=1 $(BIN)/atelier demo
	@echo ""
	@echo "Atelier tourne sur http://$(HOST):$(PORT)/  (Ctrl+C pour arrêter)"
	ATELIER_DEBUG=1 $(BIN)/atelier runserver $(HOST):$(PORT)

# Production on this machine (docs/operations.md): gunicorn and the background worker, ATELIER_DEBUG=0, static
# files collected into the data dir; the keys are read from the environment, else from var/secrets.env
# (created on first run: back it up apart). Ctrl+C stops both processes.
serve: venv $(WEASYPRINT_LIBS)
	$(BIN)/python -m atelier.config.serve --bind $(HOST):$(PORT)

# A backup of the database and the uploaded files: var/backups/atelier-<date>.tar.gz (docs/operations.md).
backup: venv
	@mkdir -p var/backups
	$(BIN)/atelier backup --out var/backups/atelier-$$(date +%Y%m%d-%H%M%S).tar.gz

# Two workers (the machines have two cores); each builds its test database from the models in a second and
# seeds the reference data (conftest.py). --dist loadfile keeps a module's tests on one worker: a data set
# loaded once per module (query counts, site isolation, demo) is loaded once. (Not loadgroup: pytest 9 ignores
# the group suffix xdist 3.8 writes into the test ids.)
WORKERS ?= 2
# mypy runs beside the tests (its few seconds overlap their start-up); either failing fails `make test`.
test: venv /usr/bin/chromium $(WEASYPRINT_LIBS)
	$(BIN)/ruff check src tests bench tools
	ATELIER_DEBUG=1 $(BIN)/mypy & types=$$!; \
	$(BIN)/pytest -n $(WORKERS) --dist loadfile; tests=$$?; \
	wait $$types && exit $$tests

# The English catalogue: convert new template text, makemessages, compile, count what is left to translate.
messages: venv
	@command -v msgfmt >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq gettext; }
	BIN=$(BIN) sh tools/i18n_refresh.sh

lint: venv
	$(BIN)/ruff check src tests bench tools
	$(BIN)/ruff format --check src tests bench tools

clean:
	rm -rf $(VENV) var
