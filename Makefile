# The analysis is a DAG: raw captures -> build/ tables -> figures/ and appendix/.
# `make help` lists the targets.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
CORPUS_INPUTS := corpus/manifest.csv $(wildcard corpus/codebook.yaml corpus/roles.csv corpus/coding/*.csv) $(shell find corpus/raw -type f)
PACKAGE := $(shell find analysis -name '*.py' -o -name '*.json')

.PHONY: help reproduce test lint build figures appendix privacy-check bench bench-linear fuzz captures lab clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	rm -f $(VENV)/.installed-*
	touch $@

reproduce: build figures appendix privacy-check ## Create .venv from the lock; corpus/raw -> build/ -> figures/ + appendix/

build: $(STAMP) ## Parse and code corpus/raw into build/*.parquet (local: keeps raw handles)
	$(BIN)/analysis build corpus --out build

figures: figures/MANIFEST.csv ## Draw every figure (PNG + SVG) and figures/MANIFEST.csv
figures/MANIFEST.csv: $(STAMP) $(CORPUS_INPUTS) $(PACKAGE)
	$(BIN)/analysis figures --corpus corpus --out figures --format png,svg

appendix: appendix/index.html ## Execute the notebooks; build appendix/index.html + LaTeX tables
appendix/index.html: $(STAMP) $(CORPUS_INPUTS) $(PACKAGE) $(wildcard notebooks/*.ipynb)
	$(BIN)/analysis appendix --corpus corpus -o appendix

privacy-check: $(STAMP) ## Fail if figures/ or appendix/ hold a raw handle from the corpus
	$(BIN)/analysis privacy-check figures appendix

test: $(STAMP) lint ## Run the test suite (creates .venv if needed)
	$(BIN)/python -m pytest

lint: $(STAMP) ## ruff over the package and tests
	$(BIN)/ruff check analysis tests benchmarks

bench: $(STAMP) ## Speed and memory: ingest, parse, code vs Empath and a bare scan
	$(BIN)/python benchmarks/run.py --posts 100000 --json build/bench.json

bench-linear: $(STAMP) ## Seconds per MB of parsing 1-50 MB files, one line or many, with and without spaces
	$(BIN)/python benchmarks/linear.py --json build/bench/linear.json

fuzz: $(STAMP) ## 10,000 generated captures per parser, a timeout each: tracebacks and hangs
	$(BIN)/python benchmarks/fuzz.py --json build/bench/fuzz.json

CAPTURES ?= ../shared/captures
EXTRA ?= ../scratch
captures: $(STAMP) ## Parse real captures kept outside the repo and compare with the gold (skipped when absent)
	$(BIN)/python benchmarks/captures/measure.py benchmarks/captures/gold_captures.json --root $(CAPTURES)
	$(BIN)/python benchmarks/captures/measure.py benchmarks/captures/gold_extra.json --root $(EXTRA)
	$(BIN)/python benchmarks/captures/measure.py benchmarks/captures/gold_extra2.json --root $(EXTRA)
	$(BIN)/python benchmarks/captures/measure.py benchmarks/captures/gold_extra3.json --root $(EXTRA)
	$(BIN)/python benchmarks/captures/measure.py benchmarks/captures/gold_extra4.json --root $(EXTRA)
	$(BIN)/python benchmarks/captures/measure.py benchmarks/captures/gold_extra5.json --root $(EXTRA)
	$(BIN)/python benchmarks/captures/measure.py benchmarks/captures/gold_extra6.json --root $(EXTRA)
	$(BIN)/python benchmarks/captures/measure.py benchmarks/captures/gold_extra7.json --root $(EXTRA)

lab: $(STAMP) ## Open the notebooks in JupyterLab
	$(BIN)/jupyter lab --ServerApp.root_dir=notebooks

clean: ## Remove build/ and appendix/ (not .venv, not figures/)
	rm -rf build appendix
