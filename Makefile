# One entry point for maintainers and CI. `make serve` and `make test` are the only
# commands a newcomer needs; both create .venv from the pinned lock on first use.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt pyproject.toml | sha1sum | cut -c1-12)
SITE_DIR ?= site
HOST ?= 127.0.0.1
PORT ?= 8000
# pip-compile, pinned, for `make lock`
PIP_TOOLS := pip-tools==7.6.2
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help serve test build validate bundle bench clean lock browser node test-fast templates import-progress

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "%-17s %s\n", $$1, $$2}'

$(STAMP): requirements.txt pyproject.toml
	@test -n "$(PYTHON)" || { echo "需要 Python 3.11 (python3.11 or python3 not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --disable-pip-version-check -q --require-hashes -r requirements.txt
	@# Make the project's own package importable (hooks, macros, tests) the way an editable
	@# install would, without needing a build backend: a .pth file naming this checkout.
	$(BIN)/python -c 'import site, sys; open(site.getsitepackages()[0] + "/workplan-checkout.pth", "w").write(sys.argv[1] + "\n")' "$(CURDIR)"
	rm -f $(VENV)/.installed-* && touch $@

validate: $(STAMP)  ## Check every file in data/ (exit 1 with file:line messages)
	$(BIN)/python -m workplan validate

# build, serve and bundle validate data/ as the first step of the build itself (the hooks' on_config
# prints the same file:line report as `make validate` and stops), so the data is loaded once.
build: $(STAMP)  ## Validate data/ and build the site into site/ (atomic: a failed build leaves site/ untouched)
	$(BIN)/python -m workplan build --out $(SITE_DIR)

serve: $(STAMP)  ## Validate data/ and serve on http://127.0.0.1:8000 with live reload when data/ changes
	$(BIN)/mkdocs serve --dev-addr $(HOST):$(PORT) --watch data --watch workplan --watch macros.py

bundle: $(STAMP)  ## Validate data/ and build the intranet bundle (dist/*.zip + .sha256)
	$(BIN)/python -m workplan bundle --out dist

# 落实情况 by e-mail (workplan/reporting/): ROUND=2020-H1 picks a round (default: the current one).
templates: $(STAMP)  ## Write every unit's Excel reporting template for a round into dist/templates/ (+ a zip to send out)
	$(BIN)/python -m workplan templates --out dist/templates $(if $(ROUND),--round $(ROUND))

import-progress: $(STAMP)  ## Import returned templates: make import-progress IN=folder/ [ROUND=2020-H1] [REPLACE=1]
	@test -n "$(IN)" || { echo "用法：make import-progress IN=收到的填报表所在文件夹/ [ROUND=2020-H1] [REPLACE=1]"; exit 2; }
	$(BIN)/python -m workplan import-progress "$(IN)" $(if $(ROUND),--round $(ROUND)) $(if $(REPLACE),--replace)

browser:  ## Install Debian's Chromium for the browser tests when it is missing
	@scripts/install-chromium

node:  ## Install the browser tests' npm packages (axe-core) from package-lock.json
	@scripts/install-node-packages

test: validate browser node  ## Run every test (unit, site, browser), after validating data/
	$(BIN)/python -m pytest

test-fast: $(STAMP)  ## Every test except the browser suite
	$(BIN)/python -m pytest -m "not browser"

bench: $(STAMP) browser node  ## Benchmark build time, memory and search cost at 1x/10x/100x; the reporting round; the reading limits
	@# Pagefind is measured as the site uses it (the chunked index in the browser) by bench-search.
	$(BIN)/python scripts/bench
	$(BIN)/python scripts/bench-search
	$(BIN)/python scripts/bench-reporting
	$(BIN)/python scripts/bench-limits

# pip-compile keeps every version already in requirements.txt unless requirements.in asks for
# another; to move a transitive one: make lock LOCK_ARGS="--upgrade-package NAME".
lock:  ## Re-pin requirements.txt from requirements.in, every package with its hashes
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock && .venv-lock/bin/pip install -q $(PIP_TOOLS)
	CUSTOM_COMPILE_COMMAND="make lock" .venv-lock/bin/pip-compile --quiet --generate-hashes --no-emit-index-url \
	  --no-emit-find-links $(LOCK_ARGS) --output-file requirements.txt requirements.in
	rm -rf .venv-lock

clean:  ## Remove the venv and everything generated
	rm -rf $(VENV) $(SITE_DIR) dist build test-artifacts bench-results .pytest_cache .hypothesis .cache node_modules
