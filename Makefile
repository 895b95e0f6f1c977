# Quick start: `make run` (talk to the demo skill locally, on moto) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# Lambda runs Python 3.12: the first python3.12 that works (on PATH, or one pyenv installed).
PYTHON312 ?= $(shell for p in python3.12 $$HOME/.pyenv/versions/3.12*/bin/python3.12; do \
	"$$p" -c pass >/dev/null 2>&1 && { echo "$$p"; break; }; done)

# What Lambda runs (see docs/deploy.md): the function's folder as `sam build` makes it, and its zip.
ARTIFACT ?= build/artifact
PACKAGE ?= dist/dropday-skill.zip
LAMBDA_DIR ?= lambda
# Lambda's Python runtime here (tests/artifact, benchmarks): a Python 3.12 with nothing installed
# beside it, and a folder like Lambda's /var/runtime with awslambdaric and the runtime's boto3.
LAMBDA_RUNTIME := .lambda-runtime
LAMBDA_RUNTIME_STAMP := $(LAMBDA_RUNTIME)/.installed

.PHONY: setup run test test-py312 test-artifact artifact package lambda-runtime lint clean

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
	  .venv312/bin/python -m pytest -q -p no:cacheprovider --ignore=tests/artifact; fi

# Only the tests of what Lambda runs (make test runs them too): the artifact under awslambdaric on
# Python 3.12, its contents, and template.yaml as CloudFormation.
test-artifact: setup
	$(BIN)/python -m pytest tests/artifact

# The function's folder exactly as `sam build` makes it: SAM copies CodeUri (lambda/) to a scratch
# folder and runs `make --makefile lambda/Makefile build-SkillFunction` there with ARTIFACTS_DIR set.
# (LAMBDA_DIR: another copy laid out like lambda/, with audio_manifest/ beside it; benchmarks use it.)
artifact: setup
	@test -n "$(ARTIFACT)" && test "$(abspath $(ARTIFACT))" != "/"
	rm -rf "$(ARTIFACT)" && mkdir -p "$(ARTIFACT)"
	@scratch=$$(mktemp -d) && cp -R "$(LAMBDA_DIR)/." "$$scratch" && \
	  (cd "$$scratch" && ARTIFACTS_DIR="$(abspath $(ARTIFACT))" $(MAKE) --no-print-directory \
	    --makefile "$(abspath $(LAMBDA_DIR))/Makefile" build-SkillFunction); status=$$?; rm -rf "$$scratch"; exit $$status

# The deployable zip, for deploying without SAM (docs/deploy.md, "Deploying without SAM").
package: artifact
	mkdir -p "$(dir $(PACKAGE))" && rm -f "$(PACKAGE)"
	cd "$(ARTIFACT)" && "$(abspath $(BIN))/python" -m zipfile -c "$(abspath $(PACKAGE))" $$(ls -A)
	@echo "$(PACKAGE): $$(du -k "$(PACKAGE)" | cut -f1) KB zipped, $$(du -sk "$(ARTIFACT)" | cut -f1) KB unzipped" \
	  "(Lambda's limits: 50 MB zipped, 250 MB unzipped)"

lambda-runtime: $(LAMBDA_RUNTIME_STAMP)

$(LAMBDA_RUNTIME_STAMP): tests/artifact/lambda-runtime.txt
	@test -n "$(PYTHON312)" || { echo "lambda-runtime: no python3.12 on this machine" >&2; exit 1; }
	rm -rf $(LAMBDA_RUNTIME)
	"$(PYTHON312)" -m venv --without-pip $(LAMBDA_RUNTIME)/python
	"$(PYTHON312)" -m pip install --quiet --disable-pip-version-check --target $(LAMBDA_RUNTIME)/runtime \
		-r tests/artifact/lambda-runtime.txt
	rm -rf $(LAMBDA_RUNTIME)/runtime/bin
	touch $@

clean:
	rm -rf $(VENV) .venv312 $(LAMBDA_RUNTIME) .pytest_cache .aws-sam build dist
