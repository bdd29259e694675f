{#-
    The value of one key of an OTLP attribute list (`[{key, value: {stringValue, intValue}}]`)
    read in place, without exploding the list into rows: `value_field` is the field of
    `value` to take; a key listed twice gives the largest value, a missing key NULL.
-#}
{% macro otlp_attribute(attributes, key, value_field) %}
    {{ return(adapter.dispatch('otlp_attribute', 'tpsp')(attributes, key, value_field)) }}
{% endmacro %}

{% macro default__otlp_attribute(attributes, key, value_field) -%}
    list_max(list_transform(
        list_filter({{ attributes }}, lambda attribute: attribute.key = '{{ key }}'),
        lambda attribute: attribute.value.{{ value_field }}
    ))
{%- endmacro %}

{% macro spark__otlp_attribute(attributes, key, value_field) -%}
    array_max(transform(
        filter({{ attributes }}, attribute -> attribute.key = '{{ key }}'),
        attribute -> attribute.value.{{ value_field }}
    ))
{%- endmacro %}
