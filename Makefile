# Quick start: `make run` (talk to the demo skill locally, on moto) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# Lambda runs Python 3.12: the first python3.12 that works (on PATH, or one pyenv installed).
PYTHON312 ?= $(shell for p in python3.12 $$HOME/.pyenv/versions/3.12*/bin/python3.12; do \
	"$$p" -c pass >/dev/null 2>&1 && { echo "$$p"; break; }; done)

.PHONY: setup run test test-py312 lint clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	@echo "setup: creating $(VENV) (once; later runs skip this)"
	$(PYTHON) -m venv $(VENV)
	@echo "setup: upgrading pip"
	$(BIN)/pip install --quiet --upgrade pip
	@echo "setup: installing dropday and its development tools into $(VENV) (moto, pytest, ffmpeg...; a minute or two)"
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)
	@echo "setup: done"

# At a terminal: talk to the demo skill (dropday chat). Otherwise (CI, pipes): play the scripted demo.
run: setup
	@if [ -t 0 ]; then $(BIN)/dropday chat; else $(BIN)/dropday chat --demo; fi

test: setup
	$(BIN)/python -m pytest
	$(BIN)/dropday validate
	$(BIN)/dropday models sync --check
	$(BIN)/lint-imports
	$(BIN)/cfn-lint template.yaml

# The tests again on Python 3.12, Lambda's runtime, in .venv312 (skipped where there is none).
test-py312:
	@if [ -z "$(PYTHON312)" ]; then echo "test-py312: no python3.12 on this machine, skipped"; else \
	  [ -x .venv312/bin/python ] || "$(PYTHON312)" -m venv .venv312; \
	  .venv312/bin/pip install --quiet --upgrade pip && .venv312/bin/pip install --quiet -e ".[dev]" && \
	  .venv312/bin/python -m pytest -q -p no:cacheprovider; fi

clean:
	rm -rf $(VENV) .venv312 .pytest_cache .aws-sam
