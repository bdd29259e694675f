{#-
  The manifest node of the model a relation holds, for tests that read what the model's yml
  declares (tests/generic/column_constraints.sql). Matched on the relation's name, which is
  the model's alias: aliases are unique within a database.
-#}
{% macro model_node_of(relation) %}
    {%- set found = [] -%}
    {%- for node in graph.nodes.values() -%}
        {%- if node.resource_type == 'model' and node.alias == relation.identifier -%}
            {%- do found.append(node) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if found | length != 1 -%}
        {{ exceptions.raise_compiler_error(
            "expected one model for relation " ~ relation ~ ", found " ~ found | length
        ) }}
    {%- endif -%}
    {{ return(found[0]) }}
{% endmacro %}
