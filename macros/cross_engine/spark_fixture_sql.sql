{#-
    Unit-test fixtures on Spark as one VALUES table: dbt's union of one select per row
    costs Spark's optimizer about a minute for a fixture of a few hundred rows (the gaming
    signals' hours of the week), a VALUES table nothing. Same columns, casts and defaults
    as dbt's get_fixture_sql, which every other engine keeps.
-#}
{% macro get_fixture_sql(rows, column_name_to_data_types) %}
    {%- if target.type != 'spark' or column_name_to_data_types or (rows | length) == 0 -%}
        {{ return(dbt.get_fixture_sql(rows, column_name_to_data_types)) }}
    {%- endif -%}
    {%- set relation = defer_relation if (defer_relation and not load_relation(this)) else this -%}
    {%- set data_types = {} -%}
    {%- set quoted = {} -%}
    {%- for column in adapter.get_columns_in_relation(relation) -%}
        {%- do data_types.update({column.name | lower: column.data_type}) -%}
        {%- do quoted.update({column.name | lower: column.quoted}) -%}
    {%- endfor -%}
    {%- if not data_types -%}
        {{ exceptions.raise_compiler_error(
            "Not able to get columns for unit test '" ~ model.name ~ "' from relation "
            ~ this ~ " because the relation doesn't exist"
        ) }}
    {%- endif -%}
    {%- set default_row = {} -%}
    {%- for column_name, column_type in data_types.items() -%}
        {%- do default_row.update({column_name: (safe_cast('null', column_type) | trim)}) -%}
    {%- endfor -%}
    {%- set fixture -%}
        -- Fixture for {{ model.name }}
        select * from values
        {%- for row in rows %}
            {%- set cells = default_row.copy() -%}
            {%- do cells.update(format_row(row, data_types)) %}
            ({{ cells.values() | join(', ') }}){{ ',' if not loop.last }}
        {%- endfor %}
        as fixture({{ quoted.values() | join(', ') }})
    {%- endset -%}
    {{ return(fixture) }}
{% endmacro %}
