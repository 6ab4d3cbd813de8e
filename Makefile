# PIX deployment portal. `make run` and `make test` set everything up from scratch.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
PORT ?= 5000
# The server and the mail worker read it too: links in e-mails follow the port (app/config.py).
export PORT
DSFR := node_modules/@gouvfr/dsfr/dist
VENDOR := app/static/vendor/dsfr
SHELL := /bin/bash
export DSFR_ACCEPT_LICENSE := 1

.PHONY: setup run test check lint format translations-update \
        translations-compile translations-check migrations-check db clean

setup: $(VENV)/.installed $(VENDOR)/.copied translations-compile

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# Copy only the DSFR pieces the pages use into the (git-ignored) static folder.
$(VENDOR)/.copied: node_modules/.installed
	rm -rf $(VENDOR)
	mkdir -p $(VENDOR)/utility/icons
	cp $(DSFR)/dsfr.min.css $(DSFR)/dsfr.module.min.js $(DSFR)/dsfr.nomodule.min.js $(VENDOR)/
	cp -r $(DSFR)/fonts $(DSFR)/icons $(DSFR)/favicon $(VENDOR)/
	cp $(DSFR)/utility/icons/icons.min.css $(VENDOR)/utility/icons/
	touch $@

translations-compile: $(VENV)/.installed
	$(FLASK) translate compile

translations-update: $(VENV)/.installed
	$(FLASK) translate update

translations-check: $(VENV)/.installed
	$(FLASK) translate check

migrations-check: $(VENV)/.installed
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	export DATABASE_URL=sqlite:///$$tmp/check.sqlite3; \
	$(FLASK) db upgrade >$$tmp/log 2>&1 && $(FLASK) db check >>$$tmp/log 2>&1 \
	  && echo "Migrations in sync with the models." || { cat $$tmp/log; exit 1; }

db: setup
	$(FLASK) db upgrade
	$(FLASK) seed
	$(FLASK) demo

# The mail worker runs beside the server and stops with it; without MAIL_SERVER it says that
# e-mails stay in the outbox, and exits.
run: db
	@echo "Portal on http://127.0.0.1:$(PORT)/ (Ctrl+C to stop)"
	$(FLASK) mail worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT; \
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

# The suite runs on one worker per core (pytest-xdist), a test file per worker at a time so that
# a file's shared fixtures are built once; TEST_WORKERS=0 runs it in this process.
TEST_WORKERS ?= auto
test: setup
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: lint translations-check migrations-check

clean:
	rm -rf $(VENV) node_modules app/static/vendor instance .pytest_cache
