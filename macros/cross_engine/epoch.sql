{#- Timestamps from Unix epochs; the landing zone carries seconds and OTLP nanoseconds. -#}
{% macro from_unix_seconds(expression) %}
    {{ return(adapter.dispatch('from_unix_seconds', 'tpsp')(expression)) }}
{% endmacro %}

{% macro default__from_unix_seconds(expression) -%}
    cast(to_timestamp(cast({{ expression }} as bigint)) as timestamp)
{%- endmacro %}

{% macro spark__from_unix_seconds(expression) -%}
    timestamp_seconds(cast({{ expression }} as bigint))
{%- endmacro %}

{% macro from_unix_nanos(expression) -%}
    {{ tpsp.from_unix_seconds('cast(' ~ expression ~ ' as decimal(38, 0)) / 1000000000') }}
{%- endmacro %}
