{#-
    on-run-end: every model of `schemas` that this invocation built successfully, and whose
    tests did not fail, is written to <var('exports_path')>/<schema>/<model>.parquet for BI
    tools. A model that failed, was skipped or was not selected keeps its previous export, so
    a reader never sees half a release. dbt cannot create folders: whoever sets exports_path
    (tpsp's dbt runner) creates the schema folders.
-#}
{% macro export_schemas_to_parquet(results, schemas) %}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set exports_path = var('exports_path', none) -%}
    {%- if exports_path is none -%}
        {{ log('Parquet exports skipped: the dbt var exports_path is not set', info=true) }}
        {{ return('') }}
    {%- endif -%}
    {%- for result in tpsp.exportable_results(results, schemas) -%}
        {%- set node = result.node -%}
        {%- set location = exports_path ~ '/' ~ node.schema ~ '/' ~ node.name ~ '.parquet' -%}
        {%- do tpsp.export_parquet(node.relation_name, location) -%}
        {{ log('Exported ' ~ node.schema ~ '.' ~ node.name ~ ' to ' ~ location, info=true) }}
    {%- endfor -%}
    {{ return('') }}
{% endmacro %}

{#- Model results of `schemas` with status success and no failed or erroring test on them. -#}
{% macro exportable_results(results, schemas) %}
    {%- set failed_nodes = [] -%}
    {%- for result in results
        if result.node.resource_type == 'test' and result.status in ('fail', 'error') -%}
        {%- do failed_nodes.extend(result.node.depends_on.nodes) -%}
    {%- endfor -%}
    {%- set exportable = [] -%}
    {%- for result in results
        if result.node.resource_type == 'model' and result.node.schema in schemas -%}
        {%- if result.status == 'success' and result.node.unique_id not in failed_nodes -%}
            {%- do exportable.append(result) -%}
        {%- else -%}
            {{ log('Not exported: ' ~ result.node.name ~ ' did not build cleanly', info=true) }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(exportable) }}
{% endmacro %}
