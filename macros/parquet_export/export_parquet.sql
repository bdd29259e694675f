{#- Write a relation as Parquet at `location`, replacing what was there. -#}
{% macro export_parquet(relation_name, location) %}
    {{ return(adapter.dispatch('export_parquet', 'tpsp')(relation_name, location)) }}
{% endmacro %}

{#- DuckDB writes one file, through a temporary file, so a reader never sees half of it. -#}
{% macro default__export_parquet(relation_name, location) %}
    {%- do run_query(
        "copy (select * from " ~ relation_name ~ ") to '"
        ~ location | replace("'", "''") ~ "' (format parquet)"
    ) -%}
{% endmacro %}

{#-
    Spark writes a folder named <model>.parquet of part files (any Parquet reader opens it,
    e.g. DuckDB's read_parquet('<model>.parquet/*.parquet')); exports_path must then be a
    location the cluster can write, such as s3a://… or dbfs:/….
-#}
{% macro spark__export_parquet(relation_name, location) %}
    {%- do run_query(
        "insert overwrite directory '" ~ location | replace("'", "\\'")
        ~ "' using parquet select * from " ~ relation_name
    ) -%}
{% endmacro %}
