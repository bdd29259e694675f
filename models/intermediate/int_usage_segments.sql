{#-
    Token usage per firm × month × segment, for the benchmark segments that split usage:
    model class, workflow and context-window class.
-#}
{%- set segment_columns = {
    'model_class': "coalesce(model_class, 'unknown')",
    'workflow': "coalesce(workflow, 'other')",
    'context_window_class': "coalesce(context_window_class, 'unreported')",
} -%}

with

token_usage as (

    select * from {{ ref('int_token_usage') }}

),

segmented as (

    {% for segment_type, expression in segment_columns.items() %}
    select
        firm_id,
        team_id,
        cast({{ dbt.date_trunc('month', 'usage_date') }} as date) as month,
        '{{ segment_type }}' as segment_type,
        {{ expression }} as segment_value,
        total_tokens,
        input_tokens,
        cache_read_tokens,
        is_priced,
        tco_cost_usd
    from token_usage
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select
        {{ tpsp.surrogate_key(['firm_id', 'month', 'segment_type', 'segment_value']) }}
            as usage_segment_id,
        firm_id,
        month,
        segment_type,
        segment_value,
        count(distinct team_id) as teams,
        sum(total_tokens) as total_tokens,
        sum(input_tokens) as input_tokens,
        sum(cache_read_tokens) as cache_read_tokens,
        case when bool_and(is_priced) then sum(tco_cost_usd) end as tco_cost_usd
    from segmented
    group by firm_id, month, segment_type, segment_value

)

select * from final
