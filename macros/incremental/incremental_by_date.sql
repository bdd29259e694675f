{#-
    The per-call tables are incremental by date. A run reprocesses every day from
    lookback_days before the newest day already built (late and re-sent days) and replaces
    those days whole: a landing day folder is replaced as a whole when it is re-sent, so its
    rows must be too, including rows the new version no longer holds. Keyed on the date alone,
    a run replaces each date it produced for every firm and team at once, which keeps a
    team-day whole. Each table's window starts from its own newest day: a date that leaves
    the landing entirely, a change older than the lookback (a firm profile, a price, delivery
    data) or a source kind lagging the others by more than the lookback needs
    `dbt build --full-refresh`.
-#}
{% macro incremental_by_date(date_column) %}
    {{ return(adapter.dispatch('incremental_by_date', 'tpsp')(date_column)) }}
{% endmacro %}

{#- DuckDB: delete every row of the dates the run produced, then insert the run's rows -#}
{% macro default__incremental_by_date(date_column) %}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'delete+insert',
        'unique_key': date_column,
        'on_schema_change': 'fail',
    }) }}
{% endmacro %}

{#- Spark: the same replacement as a dynamic overwrite of the dates' partitions -#}
{% macro spark__incremental_by_date(date_column) %}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'insert_overwrite',
        'partition_by': [date_column],
        'on_schema_change': 'fail',
    }) }}
{% endmacro %}
