{#-
    A gap-free daily series of tokens per team, from the team's first usage day to its firm's
    last, so that trailing windows count calendar days (a silent day counts as 0 tokens).
-#}
with

token_usage as (

    select * from {{ ref('int_token_usage') }}

),

calendar as (

    select distinct usage_date as day from token_usage

),

team_spans as (

    select
        firm_id,
        team_id,
        min(usage_date) as first_day
    from token_usage
    group by firm_id, team_id

),

firm_spans as (

    select
        firm_id,
        max(usage_date) as last_day
    from token_usage
    group by firm_id

),

team_days as (

    select
        team_spans.firm_id,
        team_spans.team_id,
        calendar.day
    from team_spans
    inner join firm_spans on team_spans.firm_id = firm_spans.firm_id
    inner join calendar
        on calendar.day between team_spans.first_day and firm_spans.last_day

),

daily_tokens as (

    select
        firm_id,
        team_id,
        usage_date,
        sum(total_tokens) as total_tokens
    from token_usage
    group by firm_id, team_id, usage_date

),

final as (

    select
        {{ tpsp.surrogate_key(['team_days.firm_id', 'team_days.team_id', 'team_days.day']) }}
            as team_day_id,
        team_days.firm_id,
        team_days.team_id,
        team_days.day as usage_date,
        coalesce(daily_tokens.total_tokens, 0) as total_tokens
    from team_days
    left join daily_tokens
        on
            team_days.firm_id = daily_tokens.firm_id
            and team_days.team_id = daily_tokens.team_id
            and team_days.day = daily_tokens.usage_date

)

select * from final
