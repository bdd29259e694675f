{#- The hour of the week (0–167) of a timestamp: day of week × 24 + hour. -#}
{% macro hour_of_week(timestamp_expression) -%}
    (
        cast(extract(dow from {{ timestamp_expression }}) as integer) * 24
        + cast(extract(hour from {{ timestamp_expression }}) as integer)
    )
{%- endmacro %}
