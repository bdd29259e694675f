"""The dbt project as Dagster assets, the mart gates, the daily build and the `ops` log."""
