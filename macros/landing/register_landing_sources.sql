{#-
    Landing files become dbt sources through one view per source table in the `landing`
    schema, created before every run. The view reads the table's glob under
    var('landing_path') with the column types declared in the source YAML, so unknown
    vendor fields are kept out and a missing field reads as NULL. When no file matches
    (a landing without that source kind) the view is empty but typed, so the build goes on.
-#}
{% macro register_landing_sources() %}
    {{ return(adapter.dispatch('register_landing_sources', 'tpsp')()) }}
{% endmacro %}

{% macro default__register_landing_sources() %}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- do run_query('create schema if not exists landing') -%}
    {%- for node in graph.sources.values() if node.meta.get('landing_glob') -%}
        {%- set location = var('landing_path') ~ '/' ~ node.meta['landing_glob'] -%}
        {%- set found = run_query("select count(*) from glob('" ~ location ~ "')") -%}
        {%- if found.columns[0].values()[0] > 0 -%}
            {%- set body = tpsp.landing_reader(location, node) -%}
        {%- else -%}
            {%- set body = tpsp.landing_empty_select(node) -%}
        {%- endif -%}
        {%- do run_query(
            'create or replace view landing.' ~ node.identifier ~ ' as ' ~ body
        ) -%}
    {%- endfor -%}
    {{ return('') }}
{% endmacro %}

{% macro landing_columns_struct(node) -%}
    {
    {%- for column in node.columns.values() if column.name != 'filename' -%}
        '{{ column.name }}': '{{ column.data_type }}'{{ ', ' if not loop.last }}
    {%- endfor -%}
    }
{%- endmacro %}

{% macro landing_reader(location, node) -%}
    {%- set format = node.meta['landing_format'] -%}
    {%- if format == 'csv' -%}
        select * from read_csv('{{ location }}', header = true, auto_detect = false,
            columns = {{ tpsp.landing_columns_struct(node) }}, filename = true)
    {%- else -%}
        select * from read_json('{{ location }}',
            format = '{{ {"json_array": "array", "json_lines": "newline_delimited"}
                .get(format, "auto") }}',
            columns = {{ tpsp.landing_columns_struct(node) }}, filename = true)
    {%- endif -%}
{%- endmacro %}

{% macro landing_empty_select(node) -%}
    select
    {%- for column in node.columns.values() if column.name != 'filename' %}
        cast(null as {{ column.data_type }}) as "{{ column.name }}",
    {%- endfor %}
        cast(null as varchar) as filename
    where false
{%- endmacro %}
