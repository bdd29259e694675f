{{ config(group="firm_analytics", severity="warn") }}
-- Sources that report their own cost (LiteLLM spend, Claude Code cost.usage) keep it beside
-- the list cost computed from the price seed. A firm-month where the two differ by more than
-- 5% (and a cent) is worth a look: negotiated prices, a missing price, or a unit error.
with

token_usage as (

    select * from {{ ref('int_token_usage') }}

),

firm_months as (

    select
        firm_id,
        source_kind,
        cast({{ dbt.date_trunc('month', 'usage_date') }} as date) as month,
        sum(reported_cost_usd) as reported_cost_usd,
        sum(list_cost_usd) as list_cost_usd
    from token_usage
    where reported_cost_usd is not null and is_priced
    group by firm_id, source_kind, cast({{ dbt.date_trunc('month', 'usage_date') }} as date)

)

select *
from firm_months
where
    abs(reported_cost_usd - list_cost_usd) > 0.01
    and abs(reported_cost_usd - list_cost_usd) > 0.05 * list_cost_usd
