# inhouse — the two commands a user needs are `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
export INHOUSE_DATA_DIR ?= $(CURDIR)/var

.PHONY: demo demo-live run install install-dev test test-sqlite test-postgres lint eval bench clean models

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## make demo: SQLite, the demo week, the desk at http://127.0.0.1:8000 with its worker.
demo: install
	mkdir -p $(INHOUSE_DATA_DIR)
	$(BIN)/inhouse migrate --verbosity 0
	$(BIN)/inhouse demo load
	$(BIN)/inhouse run --port $(PORT)

## make demo-live: the demo desk syncing from the fake Weibo while its clock runs x120 (day 5's crisis live).
demo-live: install
	mkdir -p $(INHOUSE_DATA_DIR)
	$(BIN)/inhouse migrate --verbosity 0
	$(BIN)/inhouse fake_weibo --scenario demo --live --port 8900 --desk-port $(PORT)

run: install
	$(BIN)/inhouse run --migrate --port $(PORT)

## make test: lint, then the whole suite on SQLite and again on PostgreSQL.
test: install-dev lint test-sqlite test-postgres

lint: install-dev
	$(BIN)/ruff check .

test-sqlite: install-dev
	$(BIN)/python -m pytest -m "not postgres and not slow"

# The browser tests already ran in the SQLite pass; the rest runs again on PostgreSQL.
test-postgres: install-dev
	$(BIN)/python scripts/postgres_pass.py -m "not browser and not slow"

eval: install-dev
	$(BIN)/python -m pip install --quiet -e ".[dev,eval]"
	$(BIN)/python eval/run_all.py
	$(BIN)/python -m pytest -m slow -q -p no:cacheprovider

bench: install-dev
	$(BIN)/python bench/run_all.py

models: install-dev
	$(BIN)/inhouse nlp train all

clean:
	rm -rf $(VENV) var .pytest_cache
