{#-
    (model, column) pairs of mart columns without a valid meta.privacy class: hashed_key,
    team_pseudonym, aggregate or public_reference. Read from the parsed project at run time.
-#}
{% macro columns_missing_privacy_class() %}
    {%- set classes = ['hashed_key', 'team_pseudonym', 'aggregate', 'public_reference'] -%}
    {%- set offenders = [] -%}
    {%- if execute -%}
        {%- for node in graph.nodes.values()
            if node.resource_type == 'model' and node.fqn[1] == 'marts' -%}
            {%- if not node.columns -%}
                {%- do offenders.append((node.name, '(no documented columns)')) -%}
            {%- endif -%}
            {%- for column in node.columns.values() -%}
                {%- set meta = column.config.meta or column.meta or {} -%}
                {%- if meta.get('privacy') not in classes -%}
                    {%- do offenders.append((node.name, column.name)) -%}
                {%- endif -%}
            {%- endfor -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(offenders) }}
{% endmacro %}
