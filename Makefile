# Stepwise: two commands on a fresh clone.
#   make run   - set up .venv, migrate the SQLite database, load rubrics, seed demo accounts, serve
#   make test  - the whole test suite (SQLite; PostgreSQL too when STEPWISE_TEST_DATABASE_URL is set)

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PYTEST_ARGS ?=

.PHONY: run test test-postgres lint format bench clean

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
	$(BIN)/pytest $(PYTEST_ARGS)

# The database-backed suite against PostgreSQL (.ci/run sets the URL).
test-postgres: $(STAMP)
	@test -n "$$STEPWISE_TEST_DATABASE_URL" || { echo "set STEPWISE_TEST_DATABASE_URL"; exit 2; }
	$(BIN)/pytest -m "not browser" $(PYTEST_ARGS)

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

clean:
	rm -rf var .pytest_cache .mypy_cache .ruff_cache .import_linter_cache
