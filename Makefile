# peakzero: the two set-up commands are `make demo` and `make test` (see README).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SHARED ?= ../shared/data
DEMO_OUT ?= out/demo

.PHONY: demo test lint typecheck unit bench data install clean fonts webdeps serve

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test,web,county]"
	touch $@

$(VENV)/.bench-installed: pyproject.toml | $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e ".[test,web,county,bench]"
	touch $@

install: $(VENV)/.installed

demo: install fonts
	$(BIN)/peakzero plan examples/plans/suzhou_factory/PLAN.toml --lang zh --out $(DEMO_OUT)
	@echo "Demo results: $(DEMO_OUT)/report.html, $(DEMO_OUT)/report.pdf, $(DEMO_OUT)/results.json and CSVs"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

unit: install fonts webdeps
	$(BIN)/python -m pytest

test: lint typecheck unit

bench: $(VENV)/.bench-installed
	$(BIN)/python benchmarks/run.py

# Rebuild the committed package data from ../shared/data (not needed to run or test).
data: install
	$(BIN)/python scripts/build_weather.py --src $(SHARED)/weather/cswd --out peakzero/data/weather
	$(BIN)/python scripts/build_load_shapes.py --src $(SHARED)/load/measured --out peakzero/data/load/shapes.csv

# System packages the reports need (a CJK font, HarfBuzz subsetter); idempotent.
fonts:
	bash scripts/setup_fonts.sh

# System packages of the web service's tests: PostgreSQL server, Chromium; idempotent.
webdeps:
	bash scripts/setup_web_deps.sh

# The web service and one worker on var/peakzero.db (or PEAKZERO_DATABASE_URL): migrations
# applied, a demo organisation and admin account created (password printed once). Ctrl-C stops.
HOST ?= 127.0.0.1
PORT ?= 8000
serve: install fonts webdeps
	$(BIN)/peakzero db upgrade
	@$(BIN)/peakzero worker & wpid=$$!; \
	trap 'kill $$wpid 2>/dev/null' EXIT INT TERM; \
	$(BIN)/peakzero serve --demo --host $(HOST) --port $(PORT)

clean:
	rm -rf $(VENV) out .mypy_cache .ruff_cache .pytest_cache
