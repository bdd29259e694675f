{#- Number of elements of an array column: DuckDB calls it len, Spark size. -#}
{% macro array_length(array_expression) %}
    {{ return(adapter.dispatch('array_length', 'tpsp')(array_expression)) }}
{% endmacro %}

{% macro default__array_length(array_expression) -%}
    len({{ array_expression }})
{%- endmacro %}

{% macro spark__array_length(array_expression) -%}
    size({{ array_expression }})
{%- endmacro %}
