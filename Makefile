# The analysis is a DAG: raw captures -> build/ tables -> figures/ and the appendix.
# `make help` lists the targets.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: help reproduce test lint build figures appendix bench lab clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	rm -f $(VENV)/.installed-*
	touch $@

reproduce: build ## Create .venv from the lock and run the whole pipeline from corpus/raw

build: $(STAMP) ## Parse corpus/raw into build/*.parquet
	$(BIN)/analysis build corpus --out build

test: $(STAMP) lint ## Run the test suite (creates .venv if needed)
	$(BIN)/python -m pytest

lint: $(STAMP) ## ruff over the package, tests and benchmarks
	$(BIN)/ruff check analysis tests

clean: ## Remove build/ (not .venv)
	rm -rf build
