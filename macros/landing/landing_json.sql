{#-
    A nested value written as JSON and typed with the project's DuckDB type syntax (as the
    source YAML declares landing columns): unit-test fixtures of landing sources state
    their nested rows once, for every engine.
-#}
{% macro typed_json(json_text, duckdb_type) -%}
    {{ return(adapter.dispatch('typed_json', 'tpsp')(json_text, duckdb_type)) }}
{%- endmacro %}

{% macro default__typed_json(json_text, duckdb_type) -%}
    cast(json('{{ json_text | replace("'", "''") }}') as {{ duckdb_type }})
{%- endmacro %}

{% macro spark__typed_json(json_text, duckdb_type) -%}
    from_json('{{ json_text | replace("'", "\\'") }}', '{{ tpsp.spark_type(duckdb_type) }}')
{%- endmacro %}
