{#-
    Landing files become dbt sources through one view per source table in the `landing`
    schema, created before every run. The view reads the table's glob under
    var('landing_path') with the column types declared in the source YAML, so unknown
    vendor fields are kept out and a missing field reads as NULL. When no file matches
    (a landing without that source kind) the view is empty but typed, so the build goes on.
    A source with meta `landing_parquet` also reads the `.parquet` files of its folders
    (`tpsp anonymize --format parquet`), cast by name to the same types: firms may send
    either format, and the view holds both.
-#}
{% macro register_landing_sources() %}
    {{ return(adapter.dispatch('register_landing_sources', 'tpsp')()) }}
{% endmacro %}

{% macro default__register_landing_sources() %}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- do run_query('create schema if not exists landing') -%}
    {%- for node in graph.sources.values() if node.meta.get('landing_glob') -%}
        {%- set location = var('landing_path') ~ '/' ~ node.meta['landing_glob'] -%}
        {%- set readers = [] -%}
        {%- if tpsp.landing_files_exist(location) -%}
            {%- do readers.append(tpsp.landing_reader(location, node)) -%}
        {%- endif -%}
        {%- set parquet_location = tpsp.landing_parquet_glob(location) -%}
        {%- if node.meta.get('landing_parquet') and tpsp.landing_files_exist(parquet_location) -%}
            {%- do readers.append(tpsp.landing_parquet_reader(parquet_location, node)) -%}
        {%- endif -%}
        {%- set body = readers | join(' union all ') if readers
            else tpsp.landing_empty_select(node) -%}
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

{% macro landing_files_exist(location) -%}
    {%- set found = run_query("select count(*) from glob('" ~ location ~ "')") -%}
    {{ return(found.columns[0].values()[0] > 0) }}
{%- endmacro %}

{#- The glob's files of the same folders with the extension .parquet -#}
{% macro landing_parquet_glob(location) -%}
    {{ return(location.rsplit('.', 1)[0] ~ '.parquet') }}
{%- endmacro %}

{#- Columns in the YAML's order and types, whatever order the Parquet layout has -#}
{% macro landing_parquet_reader(location, node) -%}
    select
    {%- for column in node.columns.values() if column.name != 'filename' %}
        {{ dbt.cast(adapter.quote(column.name), column.data_type) }}
            as {{ adapter.quote(column.name) }},
    {%- endfor %}
        filename
    from read_parquet('{{ location }}', filename = true, union_by_name = true)
{%- endmacro %}

{% macro landing_empty_select(node) -%}
    select
    {%- for column in node.columns.values() if column.name != 'filename' %}
        {{ dbt.cast('null', column.data_type) }} as {{ adapter.quote(column.name) }},
    {%- endfor %}
        {{ dbt.cast('null', 'varchar') }} as filename
    where false
{%- endmacro %}

{#-
    Spark: each source is a table over its glob, read with an explicit schema (the YAML's
    types translated by spark_type), and the landing view adds the file name. JSON objects
    and arrays span lines (multiLine; an array's elements become rows); CSV columns are
    positional after the header, as DuckDB's read_csv with `columns` reads them. Spark
    fails on a glob without files, so the landing folder is listed once (binaryFile, paths
    only) and a source with nothing under its glob gets the empty typed view.
-#}
{% macro spark__register_landing_sources() %}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- do run_query('create schema if not exists landing') -%}
    {%- set landing_path = var('landing_path') -%}
    {%- do run_query('drop table if exists landing.landed_files') -%}
    {%- do run_query(
        "create table landing.landed_files using binaryFile options (path '" ~ landing_path
        ~ "', recursiveFileLookup 'true')"
    ) -%}
    {%- set sources = [] -%}
    {%- for node in graph.sources.values() if node.meta.get('landing_glob') -%}
        {%- do sources.append(node) -%}
    {%- endfor -%}
    {%- set found_sql -%}
        select
        {%- for node in sources %}
            count_if(path rlike '{{ tpsp.glob_regex(node.meta["landing_glob"]) }}')
                as {{ node.identifier }}{{ ',' if not loop.last }}
        {%- endfor %}
        from landing.landed_files
    {%- endset -%}
    {%- set found = run_query(found_sql).rows[0] -%}
    {%- for node in sources -%}
        {%- set files_table = 'landing.' ~ node.identifier ~ '__files' -%}
        {%- do run_query('drop table if exists ' ~ files_table) -%}
        {%- do run_query('drop view if exists landing.' ~ node.identifier) -%}
        {%- if found[loop.index0] > 0 -%}
            {%- do run_query(tpsp.spark_landing_table(
                files_table, landing_path ~ '/' ~ node.meta['landing_glob'], node
            )) -%}
            {#- the path without Hadoop's file: scheme, as DuckDB names local files -#}
            {%- set body -%}
                select *, regexp_replace(_metadata.file_path, '^file:(//)?', '') as filename
                from {{ files_table }}
            {%- endset -%}
        {%- else -%}
            {%- set body = tpsp.landing_empty_select(node) -%}
        {%- endif -%}
        {%- do run_query('create view landing.' ~ node.identifier ~ ' as ' ~ body) -%}
    {%- endfor -%}
    {{ return('') }}
{% endmacro %}

{#- A landing glob as a regex on full paths: * stays within one folder -#}
{% macro glob_regex(glob) -%}
    /{{ glob | replace('.', '[.]') | replace('*', '[^/]*') }}$
{%- endmacro %}

{% macro spark_landing_table(files_table, location, node) -%}
    {%- set format = node.meta['landing_format'] -%}
    create table {{ files_table }} (
    {%- for column in node.columns.values() if column.name != 'filename' %}
        `{{ column.name }}` {{ tpsp.spark_type(column.data_type) }}{{ ',' if not loop.last }}
    {%- endfor %}
    )
    using {{ 'csv' if format == 'csv' else 'json' }}
    options (
        path '{{ location }}',
    {%- if format == 'csv' %}
        header 'true'
    {%- else %}
        multiLine '{{ "false" if format == "json_lines" else "true" }}'
    {%- endif %}
    )
{%- endmacro %}
