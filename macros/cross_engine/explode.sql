{#- One output row per element of an array column: DuckDB calls it unnest, Spark explode. -#}
{% macro explode(array_expression) %}
    {{ return(adapter.dispatch('explode', 'tpsp')(array_expression)) }}
{% endmacro %}

{% macro default__explode(array_expression) -%}
    unnest({{ array_expression }})
{%- endmacro %}

{% macro spark__explode(array_expression) -%}
    explode({{ array_expression }})
{%- endmacro %}
