# Set-up and main jobs. `make demo` and `make test` each create or refresh .venv themselves.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
# The stamp changes when the declared dependencies do, so the venv is refreshed then.
STAMP_DEMO := $(VENV)/.stamp-demo
STAMP_TEST := $(VENV)/.stamp-test
STAMP_BENCH := $(VENV)/.stamp-bench
STAMP_TRAIN := $(VENV)/.stamp-train

.PHONY: demo data model evaluate test fuzz lint gazetteer sysdeps clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(STAMP_DEMO): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[analytics,fast-shacl]'
	touch $@

$(STAMP_TEST): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@ $(STAMP_DEMO) $(STAMP_TRAIN)

$(STAMP_TRAIN): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[analytics,fast-shacl,train]'
	touch $@ $(STAMP_DEMO)

$(STAMP_BENCH): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[bench]'
	touch $@ $(STAMP_DEMO)

CORPUS ?= examples/corpus
SHARED ?= ../shared

# Main job: build the graph from documents (default: the example documents shipped here, plus the
# curated table), validate it and say what was found (the demo build alone), then analyse the published graph.
demo: $(STAMP_DEMO)
	$(BIN)/adminkg build --corpus $(CORPUS) $(if $(filter examples/corpus,$(CORPUS)),--table examples/cases.csv) --out build/demo
	$(BIN)/adminkg validate build/demo
	$(BIN)/adminkg info build/demo
	$(BIN)/adminkg query awards-by-contest --data build/demo
	@echo "the graph: build/demo/cases.ttl (store: build/demo/store). Try:"
	@echo "  .venv/bin/adminkg queries                                        # the query library"
	@echo "  .venv/bin/adminkg query technology-diffusion --data build/demo"
	@echo "  .venv/bin/adminkg serve --data build/demo                        # a SPARQL endpoint on 127.0.0.1:7878"
	$(BIN)/adminkg analyze --data data/ttl --out build/demo/analysis
	@echo "the analysis of data/ttl: build/demo/analysis/report.html (tables, networks/, pictures/ beside it)"

# Rebuild the published graph data/ttl/cases.ttl from the shared corpus, with the curators'
# decisions of data/curation applied after extraction.
data: $(STAMP_DEMO)
	$(BIN)/adminkg build --corpus $(SHARED)/corpus --out data/ttl --no-store --no-cache --curation data/curation

# Documents of our own that teach layouts the shared corpus lacks (tables), part of every training.
TRAINING := loaders/models/training

# Retrain the extraction model that ships (loaders/models/extraction.json) from the shared gold and our own,
# and cross-validate the whole extraction (5 folds of whole documents).
model: $(STAMP_TRAIN)
	$(BIN)/adminkg train --gold $(SHARED)/corpus/gold.json --gold $(TRAINING)/gold.json --corpus $(SHARED)/corpus \
	  --corpus $(TRAINING) --out loaders/models/extraction.json

evaluate: $(STAMP_TRAIN)
	$(BIN)/adminkg evaluate --gold $(SHARED)/corpus/gold.json --corpus $(SHARED)/corpus --folds 5

# System tools some tests use, best effort (tests skip without them): an independent Turtle parser
# (rapper), a font with Hangul glyphs for the analysis pictures and the PDFs the tests write
# (fonts-nanum: NanumGothic), headless Chromium (Debian's chromium: tests/test_site.py looks at the exported
# site in it) and OpenLink Virtuoso 7 (virtuoso-t, isql-vt), which tests start privately on free ports
# (tests/virtuoso.py). The Debian package's own service is kept from starting (policy-rc.d while
# installing, a blank dba password preseeded so nothing is asked) and from starting at boot.
VIRTUOSO_INIT := virtuoso-opensource-7
HANGUL_FONT := /usr/share/fonts/truetype/nanum/NanumGothic.ttf
sysdeps:
	@missing=; \
	command -v rapper >/dev/null 2>&1 || missing="$$missing raptor2-utils"; \
	[ -e $(HANGUL_FONT) ] || missing="$$missing fonts-nanum"; \
	command -v virtuoso-t >/dev/null 2>&1 || missing="$$missing virtuoso-opensource"; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	if [ -n "$$missing" ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  if [ ! -e /usr/sbin/policy-rc.d ]; then \
	    trap 'rm -f /usr/sbin/policy-rc.d' EXIT; printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d; \
	    chmod 755 /usr/sbin/policy-rc.d; \
	  fi; \
	  apt-get -qq update >/dev/null 2>&1; \
	  for pkg in $$missing; do \
	    if [ $$pkg = virtuoso-opensource ]; then \
	      printf '%s\n' '$(VIRTUOSO_INIT) $(VIRTUOSO_INIT)/dba-password password' \
	        '$(VIRTUOSO_INIT) $(VIRTUOSO_INIT)/dba-password-again password' | debconf-set-selections 2>/dev/null; \
	      DEBIAN_FRONTEND=noninteractive apt-get -qq install -y --no-install-recommends $$pkg >/dev/null 2>&1; \
	      if [ -x /etc/init.d/$(VIRTUOSO_INIT) ]; then \
	        /etc/init.d/$(VIRTUOSO_INIT) stop >/dev/null 2>&1; update-rc.d $(VIRTUOSO_INIT) disable >/dev/null 2>&1; \
	      fi; \
	    else \
	      DEBIAN_FRONTEND=noninteractive apt-get -qq install -y $$pkg >/dev/null 2>&1; \
	    fi; \
	  done; \
	fi; \
	command -v rapper >/dev/null 2>&1 || echo "note: raptor2-utils (rapper) not installed; its test will be skipped"; \
	[ -e $(HANGUL_FONT) ] || echo "note: fonts-nanum not installed; the picture tests and those that write PDF files will be skipped"; \
	command -v virtuoso-t >/dev/null 2>&1 || echo "note: virtuoso-opensource not installed; the Virtuoso tests will be skipped"; \
	command -v chromium >/dev/null 2>&1 || echo "note: chromium not installed; the browser tests of the site will be skipped"; \
	true

test: $(STAMP_TEST) sysdeps
	$(BIN)/python -m pytest -q

# Every document reader on 10,000 generated inputs (random bytes, damaged and truncated files, zip
# bombs, malformed XML and entities, very long lines, mixed encodings); the suite runs a few hundred.
fuzz: $(STAMP_TEST) sysdeps
	$(BIN)/python -m pytest -q tests/test_fuzz.py --hypothesis-profile=fuzz --hypothesis-show-statistics

# The build at scale on N generated documents (adminkg synth): naive pipeline, cold builds with 1 and
# 2 workers and on a local Dask cluster, a rebuild after 1% changed, validation, 2N and 4N, extraction
# against Kiwi's tokenizer; one table and a summary line of ratios. More options in BENCH_ARGS, such as
# a 100k run (hours; the same command with --resume added carries on after a stop):
# make bench N=100000 BENCH_ARGS="--sample 500 --scaling 0.25,0.5 --extraction-docs 10000 --no-dask --work build/bench --log build/bench.log"
N ?= 200
BENCH_ARGS ?=
bench: $(STAMP_BENCH)
	$(BIN)/python benchmarks/scale_bench.py --docs $(N) $(BENCH_ARGS)

lint: $(STAMP_TEST)
	$(BIN)/ruff check adminkg loaders tests benchmarks scripts

# Rebuild data/ttl/gazetteer.ttl from data/gazetteer/*.csv.
gazetteer: $(STAMP_DEMO)
	$(BIN)/adminkg gazetteer

clean:
	rm -rf $(VENV) .pytest_cache build dist *.egg-info
