# The interface: make demo, make test, make lint, make docs, make dagster.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DBT := $(BIN)/dbt
DBT_FLAGS := --project-dir . --profiles-dir .
DAGSTER_HOME_DIR := $(CURDIR)/.dagster_home
DAGSTER_PORT ?= 3000

export GX_ANALYTICS_ENABLED := false
export DO_NOT_TRACK := 1
export DBT_SEND_ANONYMOUS_USAGE_STATS := false

.PHONY: demo test lint docs dagster install clean

# orchestration/__init__.py: the editable install maps the packages that exist when it runs
$(STAMP): requirements.lock pyproject.toml orchestration/__init__.py
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==0.13.9
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/tpsp demo --out demo

lint: $(STAMP)
	$(BIN)/ruff check tpsp expectations orchestration tests_py
	$(BIN)/ruff format --check tpsp expectations orchestration tests_py
	$(BIN)/sqlfluff lint models tests --processes 2

test: $(STAMP) lint
	$(BIN)/dagster definitions validate -m orchestration.definitions
	$(BIN)/pytest -q

docs: $(STAMP)
	TPSP_WAREHOUSE=demo/tpsp.duckdb $(DBT) docs generate $(DBT_FLAGS) \
		--vars '{landing_path: demo/landing}'
	TPSP_WAREHOUSE=demo/tpsp.duckdb $(DBT) docs serve $(DBT_FLAGS) --port 8080

# Dagster's UI on localhost with the project loaded (the defaults read make demo's folders).
dagster: $(STAMP)
	mkdir -p $(DAGSTER_HOME_DIR)
	cp orchestration/dagster.yaml $(DAGSTER_HOME_DIR)/dagster.yaml
	DAGSTER_HOME=$(DAGSTER_HOME_DIR) PATH="$(CURDIR)/$(BIN):$$PATH" \
		$(BIN)/dagster dev -m orchestration.definitions -h 127.0.0.1 -p $(DAGSTER_PORT)

clean:
	rm -rf $(VENV) target logs demo warehouse
