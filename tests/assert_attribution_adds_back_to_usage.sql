{{ config(group="firm_analytics") }}
-- The three attribution methods add back exactly to the tokens used, per firm and month.
with

token_usage as (

    select * from {{ ref('int_token_usage') }}

),

attribution as (

    select * from {{ ref('int_token_attribution') }}

),

used as (

    select
        firm_id,
        cast({{ dbt.date_trunc('month', 'usage_date') }} as date) as month,
        sum(total_tokens) as tokens
    from token_usage
    group by firm_id, cast({{ dbt.date_trunc('month', 'usage_date') }} as date)

),

attributed as (

    select
        firm_id,
        cast({{ dbt.date_trunc('month', 'usage_date') }} as date) as month,
        sum(attributed_tokens) as tokens
    from attribution
    group by firm_id, cast({{ dbt.date_trunc('month', 'usage_date') }} as date)

)

select
    used.tokens as used_tokens,
    attributed.tokens as attributed_tokens,
    coalesce(used.firm_id, attributed.firm_id) as firm_id,
    coalesce(used.month, attributed.month) as month
from used
full outer join attributed
    on
        used.firm_id = attributed.firm_id
        and used.month = attributed.month
where used.tokens is distinct from attributed.tokens
