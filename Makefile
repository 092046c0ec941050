# Two commands do everything on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO_DB := $(CURDIR)/demo/ledger.db

.PHONY: demo test test-fast lint format clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet --compile -e '.[dev,postgres]'
	$(BIN)/python -m compileall -q techdept
	touch $(STAMP)

demo: $(STAMP)
	@bash scripts/demo.sh "$(DEMO_DB)"

# lint; SQLite: no-process tier, slow tier; the wheel; PostgreSQL: the ledger tests
test: $(STAMP)
	@bash scripts/test.sh

# lint and the tests that start no process or server, on SQLite (a minute or two)
test-fast: $(STAMP)
	@bash scripts/test.sh fast

lint: $(STAMP)
	$(BIN)/ruff check techdept tests bench

format: $(STAMP)
	$(BIN)/ruff format techdept tests bench
	$(BIN)/ruff check --fix techdept tests bench

bench: $(STAMP)
	$(BIN)/python bench/forms_bench.py
	$(BIN)/python bench/budget_bench.py --large

clean:
	rm -rf $(VENV) demo .pytest_cache build *.egg-info
