-- Every column of every mart carries a meta.privacy class a governance reviewer can read;
-- returns the offenders.
select
    cast(null as {{ dbt.type_string() }}) as model_name,
    cast(null as {{ dbt.type_string() }}) as column_name
where false
{% for model_name, column_name in tpsp.columns_missing_privacy_class() %}
    union all
    select
        '{{ model_name }}' as model_name,
        '{{ column_name }}' as column_name
{% endfor %}
