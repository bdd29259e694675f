# The interface: make demo, make test, make lint, make docs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DBT := $(BIN)/dbt
DBT_FLAGS := --project-dir . --profiles-dir .

export GX_ANALYTICS_ENABLED := false
export DO_NOT_TRACK := 1
export DBT_SEND_ANONYMOUS_USAGE_STATS := false

.PHONY: demo test lint docs install clean

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==0.13.9
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/tpsp demo --out demo

lint: $(STAMP)
	$(BIN)/ruff check tpsp expectations tests_py
	$(BIN)/ruff format --check tpsp expectations tests_py
	$(BIN)/sqlfluff lint models tests --processes 2

test: $(STAMP) lint
	$(BIN)/pytest -q

docs: $(STAMP)
	TPSP_WAREHOUSE=demo/tpsp.duckdb $(DBT) docs generate $(DBT_FLAGS) \
		--vars '{landing_path: demo/landing}'
	TPSP_WAREHOUSE=demo/tpsp.duckdb $(DBT) docs serve $(DBT_FLAGS) --port 8080

clean:
	rm -rf $(VENV) target logs demo warehouse
