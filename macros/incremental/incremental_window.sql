{#-
    The predicate that keeps an incremental run to its window: `expression` (a date) on or
    after lookback_days before the newest `built_column` already in this model. The cutoff is
    looked up before the run and written as a literal, so that engines can prune with it.
    With as_text, `expression` is an ISO date as text (a landing folder's name), compared as
    text: DuckDB then skips the landed files outside the window instead of reading them all.
    Call it only under is_incremental().
-#}
{% macro in_incremental_window(expression, built_column, as_text=false) -%}
    {{ tpsp.on_or_after_cutoff(expression, tpsp.incremental_cutoff(built_column), as_text) }}
{%- endmacro %}

{#-
    The same predicate for a cutoff already looked up (incremental_cutoff), for a model that
    filters several sources by one window; a cutoff of none (a full build, an empty table)
    keeps every row.
-#}
{% macro on_or_after_cutoff(expression, cutoff, as_text=false) -%}
    {%- if cutoff is none -%}
        1 = 1
    {%- elif as_text -%}
        {{ expression }} >= '{{ cutoff }}'
    {%- else -%}
        {{ expression }} >= cast('{{ cutoff }}' as date)
    {%- endif -%}
{%- endmacro %}

{% macro incremental_cutoff(built_column) -%}
    {%- if not execute -%}{{ return(none) }}{%- endif -%}
    {%- set newest = run_query(
        'select max(' ~ built_column ~ ') from ' ~ this
    ).columns[0].values()[0] -%}
    {%- if newest is none -%}{{ return(none) }}{%- endif -%}
    {%- set lookback = modules.datetime.timedelta(days=var('lookback_days') | int) -%}
    {{ return((newest - lookback).strftime('%Y-%m-%d')) }}
{%- endmacro %}
