# vaxnews — two set-up commands: `make run` and `make test`. Both create .venv themselves.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
UV := $(BIN)/uv
export UV_COMPILE_BYTECODE := 1
export PYTHONDONTWRITEBYTECODE :=

.PHONY: run test lint bench fuzz dev lock clean browser install

$(UV):
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==0.13.9

# Reinstall when the lock or the project metadata changes.
$(STAMP): $(UV) requirements.lock pyproject.toml
	$(UV) pip install --quiet --python $(BIN)/python -r requirements.lock
	$(UV) pip install --quiet --python $(BIN)/python --no-deps -e .
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/vaxnews run

test: $(STAMP) browser
	$(BIN)/python -m pytest

# Headless Chromium for the browser tests (Debian package; skipped when it cannot be installed).
browser:
	@bash scripts/ensure_chromium.sh

lint: $(STAMP)
	$(BIN)/ruff check pipeline extractors assets tests scripts bench
	$(BIN)/ruff format --check pipeline extractors assets tests scripts bench
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python -m bench.run

# Nightly fuzzing: random hostile input, > 100,000 inputs in all (VAXNEWS_FUZZ_EXAMPLES per property, a
# quarter for the costly ones); prints the inputs tried. Failures are kept in .hypothesis/ and replayed first.
fuzz: $(STAMP)
	VAXNEWS_FUZZ_EXAMPLES=$${VAXNEWS_FUZZ_EXAMPLES:-15000} $(BIN)/python -m pytest -q -p no:cacheprovider \
		--show-capture=no tests/test_fuzz.py

dev: $(STAMP)
	DAGSTER_HOME=$${DAGSTER_HOME:-$(CURDIR)/.dagster_home} ; mkdir -p $$DAGSTER_HOME ; \
	[ -e $$DAGSTER_HOME/dagster.yaml ] || cp dagster.yaml $$DAGSTER_HOME/dagster.yaml ; \
	DAGSTER_HOME=$$DAGSTER_HOME $(BIN)/dagster dev -m assets.definitions -h 127.0.0.1 -p 3000

lock: $(UV)
	$(UV) pip compile requirements.in -o requirements.lock --python-version 3.11

clean:
	rm -rf $(VENV) data build *.egg-info
