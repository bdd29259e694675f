{#-
    Keep one row per natural key: the one from the latest landed file (file paths sort by
    export date, then file name). The gates reject a file that repeats a natural key, so the
    latest file holds at most one row per key and the pick is deterministic. One window pass
    instead of a self-join: the relation is computed once, which matters for the large
    per-call sources. DuckDB and Spark both accept QUALIFY; NULL keys partition
    together, as they did in the join.
-#}
{% macro deduplicate_latest(relation, key_columns, version_column='landed_file') -%}
    select *
    from {{ relation }}
    qualify row_number() over (
        partition by {{ key_columns | join(', ') }}
        order by {{ version_column }} desc
    ) = 1
{%- endmacro %}
