{#- A relation of the integers 0 … count - 1 in one column `n`. -#}
{% macro integers(count) %}
    {{ return(adapter.dispatch('integers', 'tpsp')(count)) }}
{% endmacro %}

{% macro default__integers(count) -%}
    select range as n from range({{ count }})
{%- endmacro %}

{% macro spark__integers(count) -%}
    select explode(sequence(0, {{ count }} - 1)) as n
{%- endmacro %}
