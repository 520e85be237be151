# Verbeterbord: build, run and test.
#
#   make install   .venv/ with the project and its locked dev dependencies
#   make run       install, migrate, seed the demo organisation, serve on :8000
#   make test      install, lint, run every test
#   make lint      ruff check, ruff format --check, mypy, import contracts, bandit (high fails)
#   make format    ruff format + ruff check --fix
#   make bench     benchmarks: bench/run.py on the large data set (results in bench/results/)
#   make messages  extract the Dutch messages, update app/locale/en (then translate the new ones)
#   make clean     remove everything the targets above create

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

export UV_PYTHON := $(PYTHON)
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_PYTHON_DOWNLOADS := never

.PHONY: help install run test lint format bench clean system-deps frontend

help:
	@sed '/^$$/q' Makefile | sed 's/^# *//'

# --- bootstrap ---------------------------------------------------------------

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# System packages: PostgreSQL server binaries for the PostgreSQL tests
# (tests/postgres.py), Chromium for the browser tests and Java for the Nu HTML Checker
# they run (npm vnu-jar). Only installed when absent and when we are root.
system-deps:
	@if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 \
	    && ! command -v pg_ctl >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "PostgreSQL server binaries not found: installing the postgresql package"; \
	    apt-get update -qq; \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; \
	  else \
	    echo "note: PostgreSQL server binaries not found; the PostgreSQL tests will be skipped" \
	         "(install the postgresql package to run them)"; \
	  fi; \
	fi
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "Chromium not found: installing the chromium package for the browser tests"; \
	  apt-get update -qq; \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	fi
	@if ! command -v java >/dev/null 2>&1 && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "Java not found: installing the default-jre-headless package for the Nu HTML Checker (vnu-jar)"; \
	  apt-get update -qq; \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless; \
	fi

# --- front end -----------------------------------------------------------------
# Third-party front-end packages come from npm (package-lock.json) and are copied into
# static/vendor/ (not in git) so the app serves them from static/.
VENDOR := static/vendor
NPM_STAMP := node_modules/.installed

$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(VENDOR)/.copied: $(NPM_STAMP)
	rm -rf $(VENDOR) && mkdir -p $(VENDOR)/noto-sans
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/
	cp node_modules/htmx-ext-sse/dist/sse.min.js $(VENDOR)/htmx-ext-sse.min.js
	cp node_modules/sortablejs/Sortable.min.js $(VENDOR)/
	cp node_modules/@utrecht/component-library-css/dist/index.css $(VENDOR)/utrecht.css
	cp node_modules/@nl-design-system-unstable/voorbeeld-design-tokens/dist/theme.css $(VENDOR)/voorbeeld-theme.css
	@# font-display optional: the text is drawn once, in the fallback font when Noto Sans is not
	@# there yet (first visit), instead of shifting when it arrives (Lighthouse: layout shift)
	sed 's/font-display: swap;/font-display: optional;/' \
	    node_modules/@fontsource-variable/noto-sans/index.css > $(VENDOR)/noto-sans/index.css
	cp -r node_modules/@fontsource-variable/noto-sans/files $(VENDOR)/noto-sans/
	mkdir -p $(VENDOR)/swagger-ui
	cp node_modules/swagger-ui-dist/swagger-ui-bundle.js node_modules/swagger-ui-dist/swagger-ui.css \
	   node_modules/swagger-ui-dist/LICENSE $(VENDOR)/swagger-ui/
	@touch $@

# Redoc's sidebar shows Redocly's logo from cdn.redoc.ly, with no option to leave it out:
# "data:," instead is no request, fails to decode, and Redoc then drops the image.
$(VENDOR)/redoc/.offline: $(VENDOR)/.copied
	mkdir -p $(VENDOR)/redoc
	cp node_modules/redoc/LICENSE $(VENDOR)/redoc/
	sed 's#https://cdn\.redoc\.ly/redoc/logo-mini\.svg#data:,#' \
	    node_modules/redoc/bundles/redoc.standalone.js > $(VENDOR)/redoc/redoc.standalone.js.new
	@if grep -q 'cdn\.redoc\.ly' $(VENDOR)/redoc/redoc.standalone.js.new; then \
	  echo "redoc.standalone.js still names cdn.redoc.ly: check the sed above" >&2; exit 1; \
	fi
	mv $(VENDOR)/redoc/redoc.standalone.js.new $(VENDOR)/redoc/redoc.standalone.js
	@touch $@

frontend: $(VENDOR)/.copied $(VENDOR)/redoc/.offline

# --- install -----------------------------------------------------------------

$(STAMP): uv.lock pyproject.toml | $(UV)
	$(UV) sync --frozen
	@touch $@

install: system-deps $(STAMP) frontend

# --- run ---------------------------------------------------------------------

run: install
	$(BIN)/verbeterbord migrate
	$(BIN)/verbeterbord demo --url http://$(HOST):$(PORT)
	$(BIN)/verbeterbord serve --host $(HOST) --port $(PORT)

# --- quality -----------------------------------------------------------------

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/bandit -q -c pyproject.toml -r app -lll
	@# the OpenAPI contract, as generators read it: Redocly (recommended) and Spectral (spectral:oas)
	@schema="$$(mktemp --suffix=.json)"; trap 'rm -f "$$schema"' EXIT; \
	$(BIN)/python -c 'import json, sys; from sqlalchemy import create_engine; from app.config import Settings; from app.main import create_app; json.dump(create_app(Settings(secret_key="openapi"), engine=create_engine("sqlite://")).openapi(), sys.stdout)' > "$$schema"; \
	REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true \
	  npx --no-install redocly lint --extends=recommended --format=stylish "$$schema"; \
	npx --no-install spectral lint --ruleset .spectral.yaml --fail-severity=warn --quiet "$$schema"

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: install
	$(MAKE) --no-print-directory lint
	$(BIN)/pytest -n auto --maxprocesses=4 --dist loadgroup

# bench/run.py: the large data set on SQLite (1 process) and PostgreSQL (2 processes), pages,
# a card move and live streams against the in-memory ceiling; the table goes to
# bench/results/<date>.md. BENCH_* settings (see bench/run.py) make a quick run.
bench: install
	$(BIN)/python -m bench.run
	$(BIN)/python -m bench.page_weight  # bytes a phone fetches for a 40-card board
	@if [ -f bench/lighthouse.py ]; then \
	  $(BIN)/python -m bench.lighthouse; \
	else \
	  echo "bench/lighthouse.py not there yet: no Lighthouse scores"; \
	fi
	@if [ -d benchmarks ]; then $(BIN)/pytest benchmarks --benchmark-only -q; fi

# --- translations ------------------------------------------------------------
# Dutch is the source language; app/web/i18n.py reads the English .po as it is (no .mo).
# New or changed Dutch messages arrive with an empty msgstr: tests/unit/test_translations.py
# fails until each has its English translation.
.PHONY: messages
messages: $(STAMP)
	@pot="$$(mktemp --suffix=.pot)"; trap 'rm -f "$$pot"' EXIT; \
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k _ -k ngettext:1,2 --no-location \
	    --sort-output --no-wrap --project=Verbeterbord -o "$$pot" . && \
	$(BIN)/pybabel update -i "$$pot" -d app/locale -l en --no-fuzzy-matching \
	    --no-wrap --ignore-obsolete --ignore-pot-creation-date

# --- clean -------------------------------------------------------------------

clean:
	rm -rf $(VENV) $(TOOLS) node_modules test-artifacts .pytest_cache .mypy_cache \
	       .ruff_cache .benchmarks .hypothesis build dist
	find . -name __pycache__ -type d -prune -not -path './.git/*' -exec rm -rf {} +
