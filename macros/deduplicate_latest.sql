{#-
    Keep one row per natural key: the one from the latest landed file (file paths sort by
    export date, then file name). Written as a join rather than QUALIFY so that it runs on
    every engine; key columns may be NULL.
-#}
{% macro deduplicate_latest(relation, key_columns, version_column='landed_file') -%}
    select distinct {{ relation }}.*
    from {{ relation }}
    inner join (
        select
            {{ key_columns | join(', ') }},
            max({{ version_column }}) as latest_version
        from {{ relation }}
        group by {{ key_columns | join(', ') }}
    ) as latest
        on
        {%- for column in key_columns %}
            {{ relation }}.{{ column }} is not distinct from latest.{{ column }} and
        {%- endfor %}
            {{ relation }}.{{ version_column }} = latest.latest_version
{%- endmacro %}
