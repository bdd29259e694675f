"""Per-firm publishing and the benchmark report.

``firm_marts_published`` is partitioned by firm. It depends on the firm's landing assets, so
their blocking gate checks run before it in the same run: a firm with a file held in
quarantine is not published, while every other firm's partition is. It writes the firm's rows
of each ``firm_private`` mart to ``<workdir>/published/<firm_id>/<mart>.parquet``.

``headline_report`` is the report of today: the cross-firm headline table of ``make demo``
(p25 / median / p75 of the headline metrics for the last three months), read from
``fct_benchmarks`` after its mart gates passed.
"""

import dagster as dg
import duckdb

from orchestration.defs.landing.partitions import LANDING_KINDS, firm_partitions, landing_key
from orchestration.defs.warehouse.assets import tpsp_dbt_models
from orchestration.defs.warehouse.checks import FCT_BENCHMARKS
from orchestration.defs.warehouse.resources import TpspSettings
from tpsp.headline import read_headline

FIRM_PRIVATE_SCHEMA = "firm_private"
PUBLISHED_FOLDER = "published"
REPORT_FOLDER = "reports"
FIRM_MARTS = tuple(
    sorted(
        (key for key in tpsp_dbt_models.keys if key.path[0] == FIRM_PRIVATE_SCHEMA),
        key=lambda key: key.to_user_string(),
    )
)


@dg.asset(
    partitions_def=firm_partitions,
    deps=[*(landing_key(kind) for kind in LANDING_KINDS), *FIRM_MARTS],
    group_name="publishing",
    kinds={"parquet"},
)
def firm_marts_published(context: dg.AssetExecutionContext, tpsp: TpspSettings):
    """The firm's rows of every `firm_private` mart, as Parquet files for that firm only."""
    firm_id = context.partition_key
    folder = tpsp.workdir / PUBLISHED_FOLDER / firm_id
    folder.mkdir(parents=True, exist_ok=True)
    rows: dict[str, int] = {}
    with duckdb.connect(str(tpsp.warehouse), read_only=True) as connection:
        tables = [
            table
            for (table,) in connection.execute(
                """
                select table_name from information_schema.columns
                where table_schema = ? and column_name = 'firm_id'
                order by table_name
                """,
                [FIRM_PRIVATE_SCHEMA],
            ).fetchall()
        ]
        for table in tables:
            relation = f"{FIRM_PRIVATE_SCHEMA}.{table}"
            target = str(folder / f"{table}.parquet").replace("'", "''")
            connection.execute(
                f"copy (select * from {relation} where firm_id = ?) to '{target}' (format parquet)",
                [firm_id],
            )
            (rows[table],) = connection.execute(
                f"select count(*) from {relation} where firm_id = ?", [firm_id]
            ).fetchone()
    context.log.info(f"published {sum(rows.values())} rows of {len(rows)} marts for {firm_id}")
    return dg.MaterializeResult(
        metadata={
            "firm_id": firm_id,
            "folder": dg.MetadataValue.path(str(folder)),
            "rows_by_mart": rows,
            "dagster/row_count": sum(rows.values()),
        }
    )


@dg.asset(deps=[FCT_BENCHMARKS], group_name="report", kinds={"markdown"})
def headline_report(context: dg.AssetExecutionContext, tpsp: TpspSettings):
    """Cross-firm percentiles of the headline metrics for the last three months."""
    rows = read_headline(tpsp.warehouse)
    lines = [
        "| month | metric | firms | p25 | median | p75 |",
        "|---|---|---:|---:|---:|---:|",
        *(
            f"| {row.month:%Y-%m} | {row.metric} | {row.firms} | "
            + " | ".join(
                "suppressed" if row.suppressed else _number(value)
                for value in (row.p25, row.p50, row.p75)
            )
            + " |"
            for row in rows
        ),
    ]
    table = "\n".join(lines) + "\n"
    target = tpsp.workdir / REPORT_FOLDER / "headline.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(table, encoding="utf-8")
    context.log.info(f"headline table written to {target}")
    return dg.MaterializeResult(
        metadata={
            "headline": dg.MetadataValue.md(table),
            "path": dg.MetadataValue.path(str(target)),
            "rows": len(rows),
        }
    )


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:,.2f}"
