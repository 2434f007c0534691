# Abonent: `make run` starts it, `make test` tests it. Both install what is missing first.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
ABONENT := $(BIN)/abonent
DEMO_CUSTOMERS ?= 200
PYTEST_ARGS ?= -n auto

.PHONY: install run test lint translations messages clean

install: $(VENV)/.python.stamp node_modules/.package-lock.json translations

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.python.stamp: pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

translations: $(VENV)/.python.stamp
	@$(ABONENT) compiletranslations

run: install
	$(ABONENT) migrate --noinput
	$(ABONENT) demo --if-empty --customers $(DEMO_CUSTOMERS)
	$(ABONENT) serve

test: install
	ABONENT_TESTING=1 $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	ABONENT_TESTING=1 $(ABONENT) makemigrations --check --dry-run
	$(BIN)/lint-imports

# Refresh the catalogues after changing UI strings (needs GNU gettext's xgettext).
messages: install
	cd abonent && ../$(ABONENT) makemessages --all --no-location --ignore='*/tests/*'

clean:
	rm -rf $(VENV) node_modules var
