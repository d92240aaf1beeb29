# Two set-up commands on a fresh machine (only Python 3.11+ and make needed):
#   make site   build the static site from content/ into site/
#   make test   run the whole test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: site test lint format validate package serve clean bench

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

site: $(STAMP)
	$(BIN)/gongkai build

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

validate: $(STAMP)
	$(BIN)/gongkai validate content/

package: $(STAMP)
	$(BIN)/gongkai package

serve: $(STAMP)
	$(BIN)/gongkai serve

# Benchmark on N synthetic reports against plain mkdocs-material: make bench N=3200
N ?= 3200
bench: $(STAMP)
	$(BIN)/python -m benchmarks.run --reports $(N) --baseline

clean:
	rm -rf $(VENV) site build .pytest_cache .ruff_cache
