# regbook: two commands on a fresh Debian machine: `make build` and `make test`.
# `make check` is light: it installs and needs only Python, git and the checker's packages
# (requirements-check.txt). build, test, serve and bench add the rest (requirements.txt) and the
# heavy Debian packages (CJK fonts, Pango for WeasyPrint, Chromium, poppler): scripts/system-deps.sh.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
LIGHT := $(VENV)/.installed-check
STAMP := $(VENV)/.installed
PYTHON ?= python3
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check
export NO_MKDOCS_2_WARNING := 1

.PHONY: build test check serve bench clean deps deps-check

build: $(STAMP)
	$(BIN)/regbook build

test: $(STAMP)
	$(BIN)/python -m pytest

check: $(LIGHT)
	$(BIN)/regbook check

serve: $(STAMP)
	$(BIN)/mkdocs serve --livereload --dirty

# One table against a stock mkdocs-material build (dev-docs/benchmarks.md); `make bench BENCH=--quick`.
bench: $(STAMP)
	$(BIN)/python -m benchmarks $(BENCH)

deps: $(STAMP)

deps-check: $(LIGHT)

# Each stamp is rebuilt only when its pins, the package metadata or the system packages change.
# The light one: a venv with the checker's pins and regbook itself (no Chromium, fonts or Pango).
$(LIGHT): requirements-check.txt pyproject.toml scripts/system-deps.sh
	@scripts/system-deps.sh check
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) -r requirements-check.txt
	$(PIP) --no-deps -e .
	@touch $(LIGHT)

# The full one: the light venv plus every pin, and the heavy system packages.
$(STAMP): $(LIGHT) requirements.txt
	@scripts/system-deps.sh all
	$(PIP) -r requirements.txt
	@touch $(STAMP)

clean:
	rm -rf site .site-new .site-old $(VENV)
