# The interface: make demo, make test, make test-spark, make lint, make docs, make governance,
# make dagster, make report.
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

.PHONY: demo test test-spark lint docs governance dagster report bench install clean

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

# The quarterly benchmark report of make demo's warehouse: the latest complete quarter, or
# PERIOD=2026Q3; FIRM=<firm_id> writes that firm's own report instead.
REPORT_OUT = demo/report$(if $(FIRM),-$(FIRM)).html
report: $(STAMP)
	$(BIN)/tpsp report --warehouse demo/tpsp.duckdb --out $(REPORT_OUT) \
		$(if $(PERIOD),--period $(PERIOD)) $(if $(FIRM),--firm $(FIRM))

lint: $(STAMP)
	$(BIN)/ruff check tpsp expectations orchestration tests_py tests_spark bench
	$(BIN)/ruff format --check tpsp expectations orchestration tests_py tests_spark bench
	$(BIN)/sqlfluff lint models tests --processes 2

# pytest on two workers (pytest-xdist), each module's tests on one of them: tests_py/conftest.py
# groups them and hands out the modules that build warehouses first.
test: $(STAMP) lint
	$(BIN)/dagster definitions validate -m orchestration.definitions
	$(BIN)/pytest -q -n 2 --dist loadgroup --no-loadscope-reorder --durations=15

# The demo's landing built by dbt on DuckDB and on Spark (dbt-spark's session method: Spark
# in the dbt process, Java 17), then every mart model compared row by row (tests_spark/).
test-spark: $(STAMP)
	$(BIN)/pytest -q tests_spark --durations=5

# dbt docs of make demo's warehouse on http://127.0.0.1:8080. docs generate runs the
# on-run-start hook, which redefines the landing views: give it the absolute path the demo
# built them with, so that they still read the files from any working directory.
docs: $(STAMP)
	TPSP_WAREHOUSE=demo/tpsp.duckdb $(DBT) docs generate $(DBT_FLAGS) \
		--vars '{landing_path: $(CURDIR)/demo/landing}'
	TPSP_WAREHOUSE=demo/tpsp.duckdb $(DBT) docs serve $(DBT_FLAGS) --port 8080

# The governance page of the docs (models/docs/governance.md), from a fresh parse.
governance: $(STAMP)
	$(DBT) parse $(DBT_FLAGS) --quiet
	$(BIN)/tpsp governance --manifest target/manifest.json

# Dagster's UI on localhost with the project loaded (the defaults read make demo's folders).
dagster: $(STAMP)
	mkdir -p $(DAGSTER_HOME_DIR)
	cp orchestration/dagster.yaml $(DAGSTER_HOME_DIR)/dagster.yaml
	DAGSTER_HOME=$(DAGSTER_HOME_DIR) PATH="$(CURDIR)/$(BIN):$$PATH" \
		$(BIN)/dagster dev -m orchestration.definitions -h 127.0.0.1 -p $(DAGSTER_PORT)

# Build times at 1M, 10M and 50M per-call events against a hand-written DuckDB limit, or
# EVENTS=1000000 for one size; spans land in Parquet, FORMAT=json lands them as OTLP JSON
# (bench/run.py; not part of make test: minutes to hours).
BENCH_EVENTS = $(or $(EVENTS),1000000 10000000 50000000)
bench: $(STAMP)
	$(BIN)/python -m bench.run $(foreach events,$(BENCH_EVENTS),--events $(events)) \
		--format $(or $(FORMAT),parquet)

clean:
	rm -rf $(VENV) target logs demo warehouse
