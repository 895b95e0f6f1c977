# Quick start: `make run` (talk to the demo skill locally, on moto) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# Lambda runs Python 3.12: the first python3.12 that works (on PATH, or one pyenv installed).
PYTHON312 ?= $(shell for p in python3.12 $$HOME/.pyenv/versions/3.12*/bin/python3.12; do \
	"$$p" -c pass >/dev/null 2>&1 && { echo "$$p"; break; }; done)

APL_LINT := tools/apl-lint
APL_LINT_STAMP := $(APL_LINT)/node_modules/.installed
APL_DOCUMENTS := $(wildcard lambda/dropday/skill/apl/*.json)

.PHONY: setup run test test-py312 lint apl-lint clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

# At a terminal: talk to the demo skill (dropday chat). Otherwise (CI, pipes): play the scripted demo.
run: setup
	@if [ -t 0 ]; then $(BIN)/dropday chat; else $(BIN)/dropday chat --demo; fi

test: setup apl-lint
	$(BIN)/python -m pytest
	$(BIN)/dropday validate
	$(BIN)/lint-imports
	$(BIN)/cfn-lint template.yaml

# The APL documents, checked with Amazon's apl-suggester at the version package-lock.json pins
# (npm ci: offline once installed; Node 18 or later).
apl-lint: $(APL_LINT_STAMP)
	node $(APL_LINT)/lint.js $(APL_DOCUMENTS)

$(APL_LINT_STAMP): $(APL_LINT)/package.json $(APL_LINT)/package-lock.json
	cd $(APL_LINT) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The tests again on Python 3.12, Lambda's runtime, in .venv312 (skipped where there is none).
test-py312:
	@if [ -z "$(PYTHON312)" ]; then echo "test-py312: no python3.12 on this machine, skipped"; else \
	  [ -x .venv312/bin/python ] || "$(PYTHON312)" -m venv .venv312; \
	  .venv312/bin/pip install --quiet --upgrade pip && .venv312/bin/pip install --quiet -e ".[dev]" && \
	  .venv312/bin/python -m pytest -q -p no:cacheprovider; fi

clean:
	rm -rf $(VENV) .venv312 .pytest_cache .aws-sam $(APL_LINT)/node_modules
