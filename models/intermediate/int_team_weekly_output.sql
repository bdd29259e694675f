with

token_usage as (

    select * from {{ ref('int_token_usage') }}

),

artifacts as (

    select * from {{ ref('int_shipped_artifacts') }}

),

daily_totals as (

    select * from {{ ref('stg_daily_totals__team_days') }}

),

weekly_tokens as (

    select
        firm_id,
        team_id,
        cast({{ dbt.date_trunc('week', 'usage_date') }} as date) as week_start,
        sum(total_tokens) as total_tokens
    from token_usage
    group by firm_id, team_id, cast({{ dbt.date_trunc('week', 'usage_date') }} as date)

),

shipped_artifacts as (

    select
        firm_id,
        team_id,
        cast({{ dbt.date_trunc('week', 'shipped_at') }} as date) as week_start,
        count(*) as shipped
    from artifacts
    where status = 'shipped'
    group by firm_id, team_id, cast({{ dbt.date_trunc('week', 'shipped_at') }} as date)
    union all
    select
        firm_id,
        team_id,
        cast({{ dbt.date_trunc('week', 'usage_date') }} as date) as week_start,
        sum(shipped_artifacts + completed_tasks) as shipped
    from daily_totals
    group by firm_id, team_id, cast({{ dbt.date_trunc('week', 'usage_date') }} as date)

),

weekly_shipped as (

    select
        firm_id,
        team_id,
        week_start,
        sum(shipped) as shipped_artifacts
    from shipped_artifacts
    group by firm_id, team_id, week_start

),

final as (

    select
        {{ tpsp.surrogate_key(['weekly_tokens.firm_id', 'weekly_tokens.team_id',
            'weekly_tokens.week_start']) }} as team_week_id,
        weekly_tokens.firm_id,
        weekly_tokens.team_id,
        weekly_tokens.week_start,
        weekly_tokens.total_tokens,
        coalesce(weekly_shipped.shipped_artifacts, 0) as shipped_artifacts
    from weekly_tokens
    left join weekly_shipped
        on
            weekly_tokens.firm_id = weekly_shipped.firm_id
            and weekly_tokens.team_id = weekly_shipped.team_id
            and weekly_tokens.week_start = weekly_shipped.week_start

)

select * from final
