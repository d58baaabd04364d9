# regbook: two commands on a fresh Debian machine: `make build` and `make test`.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYTHON ?= python3
export NO_MKDOCS_2_WARNING := 1

.PHONY: build test check serve bench clean deps

build: $(STAMP)
	$(BIN)/regbook build

test: $(STAMP)
	$(BIN)/python -m pytest

check: $(STAMP)
	$(BIN)/regbook check

serve: $(STAMP)
	$(BIN)/mkdocs serve --livereload

bench: $(STAMP)
	$(BIN)/python -m benchmarks

deps: $(STAMP)

# The venv is rebuilt only when the pins or the package metadata change.
$(STAMP): requirements.txt pyproject.toml scripts/system-deps.sh
	@scripts/system-deps.sh
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $(STAMP)

clean:
	rm -rf site .site-new .site-old $(VENV)
