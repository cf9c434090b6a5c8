# Liaison: `make run` to try it, `make test` to check it. `make help` lists the rest.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
CHROMIUM := /usr/bin/chromium

.DEFAULT_GOAL := help
.PHONY: help install assets browser run serve test lint format lock bench clean

help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python requirements.lock pyproject.toml
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	@touch $@

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm (Node.js) is needed once to install the front-end files"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

install: $(VENV)/.installed assets ## Create .venv and install everything

assets: node_modules/.installed ## Install chart, map and htmx files from the npm registry

browser: ## Install Debian's Chromium for the browser tests, if missing
	@test -x $(CHROMIUM) || { \
		echo "Installing Chromium for the browser tests..."; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

run: install ## Migrate, load demo data if the database is empty, serve on http://127.0.0.1:$(PORT)
	$(BIN)/liaison migrate --verbosity 0
	$(BIN)/liaison demo --if-empty --projects 300 --seed 1
	@echo "Liaison is serving on http://127.0.0.1:$(PORT)/ (Ctrl-C stops it)"
	@# The background worker reads uploaded factsheets; it stops with the server.
	@# Links in e-mails, calendar feeds and certificates' QR codes name the address served.
	export LIAISON_SITE_URL=$${LIAISON_SITE_URL:-http://127.0.0.1:$(PORT)}; \
	$(BIN)/liaison db_worker --interval 1 --no-startup-delay & WORKER=$$!; \
	trap 'kill $$WORKER 2>/dev/null' EXIT INT TERM; \
	$(BIN)/liaison runserver 127.0.0.1:$(PORT)

lint: install ## Ruff lint and format check, Django checks, migrations in step
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/liaison check --fail-level WARNING
	$(BIN)/liaison makemigrations --check --dry-run

format: install ## Format the code
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: install browser lint ## Lint and run the whole suite, browser tests included
	$(BIN)/pytest

lock: $(BIN)/python ## Re-pin the Python packages after changing pyproject.toml
	$(BIN)/pip install --quiet -e '.[dev]'
	{ echo "# Pinned versions of every Python package Liaison installs (make lock regenerates it)."; \
	  $(BIN)/pip freeze --exclude-editable | grep -v '^-e'; } > requirements.lock

bench: install ## Time the main pages on a 10,000-project portfolio
	$(BIN)/python bench/run.py --projects 10000 --json bench/out/results.json

clean: ## Remove the virtualenv, front-end files and local database
	rm -rf $(VENV) node_modules var
