{#-
    The predicate that keeps an incremental run to its window: `expression` (a date) on or
    after lookback_days before the newest `built_column` already in this model. The cutoff is
    looked up before the run and written as a literal, so that engines can prune with it.
    With as_text, `expression` is an ISO date as text (a landing folder's name), compared as
    text: DuckDB then skips the landed files outside the window instead of reading them all.
    Call it only under is_incremental().
-#}
{% macro in_incremental_window(expression, built_column, as_text=false) -%}
    {%- set cutoff = tpsp.incremental_cutoff(built_column) -%}
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
