{{ config(**tpsp.incremental_by_date('usage_date')) }}

with

token_usage as (

    select * from {{ ref('int_token_usage') }}

),

daily as (

    select
        firm_id,
        team_id,
        usage_date,
        provider,
        model,
        model_class,
        workflow,
        source_kind,
        cast(sum(input_tokens) as bigint) as input_tokens,
        cast(sum(output_tokens) as bigint) as output_tokens,
        cast(sum(cache_read_tokens) as bigint) as cache_read_tokens,
        cast(sum(cache_write_tokens) as bigint) as cache_write_tokens,
        cast(sum(total_tokens) as bigint) as total_tokens,
        cast(sum(requests) as bigint) as requests,
        cast(sum(list_cost_usd) as double) as list_cost_usd,
        cast(sum(tco_cost_usd) as double) as tco_cost_usd
    from token_usage
    -- an incremental run rebuilds only the days of its window
    {%- if is_incremental() %}
    where {{ tpsp.in_incremental_window('usage_date', 'usage_date') }}
    {%- endif %}
    group by firm_id, team_id, usage_date, provider, model, model_class, workflow, source_kind

),

final as (

    select
        {{ tpsp.surrogate_key([
            'firm_id', 'team_id', 'usage_date', 'provider', 'model', 'model_class',
            'workflow', 'source_kind'
        ]) }} as token_usage_daily_id,
        *
    from daily

)

select * from final
