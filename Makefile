# Every target sets itself up: a virtual environment inside the repo, the
# dependencies, the compiled catalogs and the store.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
CATALOGS := $(wildcard locales/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGS:.po=.mo)

.PHONY: run chat test bench lint ingest migrate locales catalogs clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

locales/%/LC_MESSAGES/messages.mo: locales/%/LC_MESSAGES/messages.po $(STAMP)
	$(VENV)/bin/pybabel compile --statistics -d locales -D messages -l $* 2>&1 | tail -n 1

catalogs: $(STAMP) $(COMPILED)

# Re-extract msgids from the code and merge them into the catalogs.
locales: $(STAMP)
	$(VENV)/bin/pybabel extract --no-location --sort-output -k _ -k __ -k lazy_gettext -k gettext -k ngettext:1,2 -k __:1,2 -o locales/messages.pot bot handlers
	$(VENV)/bin/pybabel update --no-fuzzy-matching --ignore-obsolete -d locales -D messages -i locales/messages.pot

migrate: catalogs
	$(PY) -m bot migrate

ingest: migrate
	$(PY) -m bot ingest

run: ingest
	$(PY) -m bot run

chat: ingest
	$(PY) -m bot chat

test: catalogs
	$(PY) -m pytest

bench: ingest
	$(PY) -m tools.bench

lint: $(STAMP)
	$(VENV)/bin/ruff check bot handlers tests
	$(VENV)/bin/ruff format --check bot handlers tests
	$(VENV)/bin/mypy bot handlers

clean:
	rm -rf $(VENV) data/facts.db
