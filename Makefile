# Stepwise: two commands on a fresh clone.
#   make run   - set up .venv, migrate the SQLite database, load rubrics, seed demo accounts, serve
#   make test  - the whole test suite (SQLite; PostgreSQL too when STEPWISE_TEST_DATABASE_URL is set)

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PYTEST_ARGS ?=
# pytest-xdist processes for the suites (0: all in this process).
TEST_WORKERS ?= auto
PYTEST := $(BIN)/pytest -n $(TEST_WORKERS)

.PHONY: run test test-postgres lint format bench clean i18n-extract i18n-update i18n-compile i18n-init

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/stepwise db upgrade
	$(BIN)/stepwise rubrics load
	$(BIN)/stepwise demo seed
	$(BIN)/stepwise serve

test: $(STAMP)
	$(PYTEST) $(PYTEST_ARGS)

# The database-backed suite against PostgreSQL (.ci/run sets the URL).
test-postgres: $(STAMP)
	@test -n "$$STEPWISE_TEST_DATABASE_URL" || { echo "set STEPWISE_TEST_DATABASE_URL"; exit 2; }
	$(PYTEST) -m "not browser" $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check app tests bench alembic
	$(BIN)/ruff format --check app tests bench alembic
	$(BIN)/mypy app
	$(BIN)/lint-imports --no-logo

format: $(STAMP)
	$(BIN)/ruff check --fix app tests bench alembic
	$(BIN)/ruff format app tests bench alembic

bench: $(STAMP)
	$(BIN)/python bench/bench_scoring.py
	$(BIN)/python bench/bench_http.py
	$(BIN)/python bench/bench_reports.py
	$(BIN)/python bench/bench_pages.py

# Translations (docs/i18n.md). The app compiles each catalog from its .po file when it
# first needs it, so none of these is needed to run or test; they are the translator's tools.
#   make i18n-extract              - collect the source strings into app/locale/messages.pot
#   make i18n-update               - merge the template into every catalog (new strings, fuzzy matches)
#   make i18n-init LOCALE=fr       - start a new language's catalog
#   make i18n-compile              - compile every catalog and print how complete each is
# gettext:2,2t and ngettext:2,3,4t: app.core.i18n's gettext(locale, message) and
# ngettext(locale, singular, plural, n), which Python code calls with the locale first
# (the 3t/5t twins: Babel counts a trailing comma, as ruff writes it, as one more argument).
I18N_KEYWORDS := -k _ -k N_ -k gettext -k ngettext:1,2 -k pgettext:1c,2 -k npgettext:1c,2,3 \
  -k gettext:2,2t -k gettext:2,3t -k ngettext:2,3,4t -k ngettext:2,3,5t
i18n-extract: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg $(I18N_KEYWORDS) --no-location --sort-output \
	  --add-comments=Translators: --project=Stepwise -o app/locale/messages.pot .

i18n-update: i18n-extract
	$(BIN)/pybabel update -i app/locale/messages.pot -d app/locale --ignore-obsolete --no-fuzzy-matching

i18n-init: i18n-extract
	@test -n "$(LOCALE)" || { echo "usage: make i18n-init LOCALE=fr"; exit 2; }
	$(BIN)/pybabel init -i app/locale/messages.pot -d app/locale -l $(LOCALE)

i18n-compile: $(STAMP)
	$(BIN)/pybabel compile -d app/locale --statistics

clean:
	rm -rf var .pytest_cache .mypy_cache .ruff_cache .import_linter_cache
