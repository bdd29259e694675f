{#- Continuous (interpolated) percentile of a column, fraction between 0 and 1. -#}
{% macro percentile_cont(expression, fraction) %}
    {{ return(adapter.dispatch('percentile_cont', 'tpsp')(expression, fraction)) }}
{% endmacro %}

{% macro default__percentile_cont(expression, fraction) -%}
    quantile_cont({{ expression }}, {{ fraction }})
{%- endmacro %}

{% macro spark__percentile_cont(expression, fraction) -%}
    percentile({{ expression }}, {{ fraction }})
{%- endmacro %}

{#- Median as the 0.5 continuous percentile, so both engines interpolate the same way. -#}
{% macro median(expression) -%}
    {{ tpsp.percentile_cont(expression, 0.5) }}
{%- endmacro %}
