# Quick start: `make run` (talk to the demo skill locally, on moto) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup run test lint clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

# At a terminal: talk to the demo skill (dropday chat). Otherwise (CI, pipes): play the scripted demo.
run: setup
	@if [ -t 0 ]; then $(BIN)/dropday chat; else $(BIN)/dropday chat --demo; fi

test: setup
	$(BIN)/python -m pytest
	$(BIN)/dropday validate
	$(BIN)/lint-imports
	$(BIN)/cfn-lint template.yaml

clean:
	rm -rf $(VENV) .pytest_cache .aws-sam
