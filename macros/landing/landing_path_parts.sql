{#- Landed files sit at <landing>/<firm_id>/<source_kind>/<YYYY-MM-DD>/<file>. -#}
{% macro landing_firm_id(filename_column) -%}
    regexp_extract({{ filename_column }}, '([^/]+)/[^/]+/[0-9]{4}-[0-9]{2}-[0-9]{2}/[^/]+$', 1)
{%- endmacro %}

{% macro landing_export_date(filename_column) -%}
    cast(
        regexp_extract({{ filename_column }}, '/([0-9]{4}-[0-9]{2}-[0-9]{2})/[^/]+$', 1) as date
    )
{%- endmacro %}

{#- The date folder as ISO text: a filter on it lets DuckDB skip the other folders' files -#}
{% macro landing_export_day(filename_column) -%}
    regexp_extract({{ filename_column }}, '/([0-9]{4}-[0-9]{2}-[0-9]{2})/[^/]+$', 1)
{%- endmacro %}
