# healthfm — two commands: `make demo` and `make test`. Both create .venv on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCK := requirements/lock.txt

.PHONY: demo test check lint format typecheck bench lock clean

$(STAMP): pyproject.toml $(LOCK)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c $(LOCK) -e '.[dev,bench]'
	@touch $(STAMP)

## demo: the main job on the embedded default (writes runs/demo/)
demo: $(STAMP)
	$(BIN)/healthfm demo --out runs/demo

## test: the full test suite (slow tests run in a bounded form)
test: $(STAMP)
	HEALTHFM_SLOW_SCALE=$${HEALTHFM_SLOW_SCALE:-small} $(BIN)/python -m pytest -q

## check: lint + format check + strict types + tests with warnings as errors
check: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/python -m pytest -q -W error

format: $(STAMP)
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

## bench: the store benchmark at full size (10k subjects / 10M events)
bench: $(STAMP)
	$(BIN)/python benchmarks/store_bench.py --subjects 10000 --events 10000000

## lock: re-pin every transitive version from the current .venv
lock:
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^-e ' > $(LOCK)

clean:
	rm -rf $(VENV) runs .pytest_cache .mypy_cache .ruff_cache
