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

{% macro landing_parquet_reader(location, node) -%}
    {{ tpsp.landing_typed_select(
        node, 'filename',
        "read_parquet('" ~ location ~ "', filename = true, union_by_name = true)"
    ) }}
{%- endmacro %}

{#-
    Columns in the YAML's order and types, as the JSON or CSV readers give them, whatever
    order and (text) types a Parquet layout has; struct fields are cast by name.
-#}
{% macro landing_typed_select(node, filename_expression, from_clause) -%}
    select
    {%- for column in node.columns.values() if column.name != 'filename' %}
        {{ dbt.cast(adapter.quote(column.name), column.data_type) }}
            as {{ adapter.quote(column.name) }},
    {%- endfor %}
        {{ filename_expression }} as filename
    from {{ from_clause }}
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
    positional after the header, as DuckDB's read_csv with `columns` reads them. A source
    with meta `landing_parquet` has a second table over the `.parquet` files of its folders,
    whose columns (and struct fields) Spark reads by name, and the view unions both. Spark
    fails on a glob without files, so the landing folder is listed once (binaryFile, paths
    only), each glob's files are counted, and only the tables with files are read; a source
    with none gets the empty typed view.
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
    {#- the landing tables a source may have: (source, table name, glob, Parquet or not) -#}
    {%- set tables = [] -%}
    {%- for node in graph.sources.values() if node.meta.get('landing_glob') -%}
        {%- set glob = node.meta['landing_glob'] -%}
        {%- do tables.append((node, node.identifier ~ '__files', glob, false)) -%}
        {%- if node.meta.get('landing_parquet') -%}
            {%- do tables.append((
                node, node.identifier ~ '__parquet_files', tpsp.landing_parquet_glob(glob), true
            )) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set found_sql -%}
        select
        {%- for node, name, glob, parquet in tables %}
            count_if(path rlike '{{ tpsp.glob_regex(glob) }}') as {{ name }}
                {{- ',' if not loop.last }}
        {%- endfor %}
        from landing.landed_files
    {%- endset -%}
    {%- set found = run_query(found_sql).rows[0] -%}
    {%- set readers = {} -%}
    {%- for node, name, glob, parquet in tables -%}
        {%- set files_table = 'landing.' ~ name -%}
        {%- do run_query('drop table if exists ' ~ files_table) -%}
        {%- if found[loop.index0] > 0 -%}
            {%- set location = landing_path ~ '/' ~ glob -%}
            {%- if parquet -%}
                {%- do run_query(tpsp.spark_landing_parquet_table(files_table, location, node)) -%}
                {%- set reader = tpsp.spark_landing_parquet_select(files_table, node) -%}
            {%- else -%}
                {%- do run_query(tpsp.spark_landing_table(files_table, location, node)) -%}
                {%- set reader -%}
                    select *, {{ tpsp.spark_landed_filename() }} as filename from {{ files_table }}
                {%- endset -%}
            {%- endif -%}
            {%- do readers.setdefault(node.unique_id, []).append(reader) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for node in graph.sources.values() if node.meta.get('landing_glob') -%}
        {%- set node_readers = readers.get(node.unique_id, []) -%}
        {%- set body = node_readers | join(' union all ') if node_readers
            else tpsp.landing_empty_select(node) -%}
        {%- do run_query('drop view if exists landing.' ~ node.identifier) -%}
        {%- do run_query('create view landing.' ~ node.identifier ~ ' as ' ~ body) -%}
    {%- endfor -%}
    {{ return('') }}
{% endmacro %}

{#- A landing glob as a regex on full paths: * stays within one folder -#}
{% macro glob_regex(glob) -%}
    /{{ glob | replace('.', '[.]') | replace('*', '[^/]*') }}$
{%- endmacro %}

{#- The landed file's path without Hadoop's file: scheme, as DuckDB names local files -#}
{% macro spark_landed_filename() -%}
    regexp_replace(_metadata.file_path, '^file:(//)?', '')
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

{#-
    The Parquet files of a source's folders, read by column name: a JSON kind's columns with
    the YAML's types (struct fields by name too: fields the file has beyond the YAML's are
    not read, fields it lacks read as NULL); a CSV kind's as the text they are in the file,
    since Spark reads no string column as a number. skipHiveMetadata: a Hive metastore
    would record a Parquet table in Hive's own format too, and create its location, the
    glob, as folders named `*` in the landing.
-#}
{% macro spark_landing_parquet_table(files_table, location, node) -%}
    {%- set as_text = node.meta['landing_format'] == 'csv' -%}
    create table {{ files_table }} (
    {%- for column in node.columns.values() if column.name != 'filename' %}
        `{{ column.name }}` {{ 'string' if as_text else tpsp.spark_type(column.data_type) }}
            {{- ',' if not loop.last }}
    {%- endfor %}
    )
    using parquet
    options (path '{{ location }}', skipHiveMetadata 'true')
{%- endmacro %}

{% macro spark_landing_parquet_select(files_table, node) -%}
    {{ tpsp.landing_typed_select(node, tpsp.spark_landed_filename(), files_table) }}
{%- endmacro %}
