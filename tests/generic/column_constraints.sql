{#-
  Every `not_null` and `check` constraint its yml declares on the model's columns, checked in
  one scan of the model: one row per constraint that some rows break, with their number.

  A model's column rules are declared as dbt constraints. On the public marts, whose contracts
  are enforced, DuckDB checks them again as it writes; on Spark (Parquet tables) and on the
  models without a contract, this test is what checks them. One test per model instead of one
  per column and rule keeps a build's node count, and so its fixed cost, small.
-#}
{% test column_constraints(model) %}
{%- set rules = [] -%}
{%- if execute -%}
    {#- the model's node, for its yml: its alias is the relation's name -#}
    {%- set node = graph.nodes.values()
        | selectattr('resource_type', 'equalto', 'model')
        | selectattr('alias', 'equalto', model.identifier)
        | first -%}
    {%- for column in node.columns.values() -%}
        {%- for constraint in column.constraints -%}
            {%- if constraint.type == 'not_null' -%}
                {%- do rules.append((column.name, 'not_null', column.name ~ ' is null')) -%}
            {%- elif constraint.type == 'check' -%}
                {#- the rule is echoed as a text literal, which engines escape differently -#}
                {%- if "'" in constraint.expression -%}
                    {{ exceptions.raise_compiler_error(
                        node.name ~ "." ~ column.name ~ ": write the check without quotes"
                    ) }}
                {%- endif -%}
                {%- do rules.append(
                    (column.name, constraint.expression, 'not (' ~ constraint.expression ~ ')')
                ) -%}
            {%- else -%}
                {#- a primary key is tested by the unique and not_null data tests -#}
                {{ exceptions.raise_compiler_error(
                    node.name ~ "." ~ column.name ~ ": column_constraints checks not_null and"
                    ~ " check constraints, not " ~ constraint.type
                ) }}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
{%- endif -%}
{%- if rules %}
    with broken as (
        select
            {%- for rule in rules %}
                sum(case when {{ rule[2] }} then 1 else 0 end) as rule_{{ loop.index }}
                {{- "," if not loop.last }}
            {%- endfor %}
        from {{ model }}
    )

    {% for column_name, rule, _ in rules %}
        select
            '{{ column_name }}' as column_name,
            '{{ rule }}' as broken_rule,
            rule_{{ loop.index }} as failing_rows
        from broken
        where rule_{{ loop.index }} > 0
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
{%- else %}
    {#- no constraint declared: nothing can fail -#}
    select 1 as failing_rows
    where 1 = 0
{%- endif %}
{% endtest %}
