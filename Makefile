# peakzero: the two set-up commands are `make demo` and `make test` (see README).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SHARED ?= ../shared/data
DEMO_OUT ?= out/demo

.PHONY: demo test lint typecheck unit bench data install clean fonts

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

$(VENV)/.bench-installed: pyproject.toml | $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e ".[test,bench]"
	touch $@

install: $(VENV)/.installed

demo: install fonts
	$(BIN)/peakzero pv yield --station Nanjing --kwp 500 --tilt 25 --azimuth 180 --hourly $(DEMO_OUT)/nanjing_500kwp_hourly.csv
	$(BIN)/peakzero roof layout --station Nanjing --area-m2 5000 --roof flat
	@echo "Demo results written to $(DEMO_OUT)/"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

unit: install fonts
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

clean:
	rm -rf $(VENV) out .mypy_cache .ruff_cache .pytest_cache
