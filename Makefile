# Integrationsmonitor Hagen — the two commands: `make start` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: start test build check lint bench clean mutation

# axe-core for the accessibility browser test (pinned in package-lock.json, installed into node_modules/)
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt requirements.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

## Start the dashboard on the shipped data (builds the database if it is missing).
start: $(VENV)/.installed
	$(PY) -m integrationsmonitor ensure
	$(PY) -m streamlit run app.py --server.port $(PORT) --server.headless true --browser.gatherUsageStats false

## Run the whole test suite (installs test tools and Debian's chromium for the browser test).
test: $(VENV)/.installed-dev node_modules/.installed
	bash scripts/ensure_chromium.sh
	$(VENV)/bin/ruff check .
	$(PY) -m pytest -q

## Rebuild the database from data/ (atomic; a failed build keeps the previous database).
build: $(VENV)/.installed
	$(PY) -m integrationsmonitor build

check: $(VENV)/.installed
	$(PY) -m integrationsmonitor check

bench: $(VENV)/.installed-dev
	$(PY) -m bench

clean:
	rm -rf $(VENV) node_modules .pytest_cache .ruff_cache

## Mutation testing of the rule code (mutmut + SQL replacements; not part of test/CI): bench/mutation-report.md
mutation: $(VENV)/.installed-dev
	nice -n 19 $(PY) scripts/mutation/run.py
