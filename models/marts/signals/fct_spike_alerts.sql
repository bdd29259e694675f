{#-
    Team-days whose tokens exceed spike_ratio x the trailing median of the previous
    spike_trailing_days days. Consecutive alert days form one alert, dated by its first day.
    An alert is annotated `model_change` when a model the team first used within
    model_change_window_days of that day carries most of the increase. A signal to
    investigate, never a score.
-#}
{%- set trailing = var('spike_trailing_days') -%}

with

team_days as (

    select * from {{ ref('int_team_daily_usage') }}

),

token_usage as (

    select * from {{ ref('int_token_usage') }}

),

trailing_medians as (

    select
        firm_id,
        team_id,
        usage_date,
        total_tokens,
        {{ tpsp.median('total_tokens') }} over (
            partition by firm_id, team_id order by usage_date
            rows between {{ trailing }} preceding and 1 preceding
        ) as baseline_tokens,
        count(*) over (
            partition by firm_id, team_id order by usage_date
            rows between {{ trailing }} preceding and 1 preceding
        ) as history_days
    from team_days

),

alert_days as (

    select
        *,
        cast(total_tokens as double) / baseline_tokens as ratio,
        row_number() over (partition by firm_id, team_id order by usage_date) as alert_number
    from trailing_medians
    where
        history_days >= {{ var('spike_min_history_days') }}
        and baseline_tokens > 0
        and total_tokens > {{ var('spike_ratio') }} * baseline_tokens

),

-- consecutive days share one episode: day minus its rank among alert days is constant
episodes as (

    select
        *,
        {{ dbt.dateadd('day', '-1 * alert_number', 'usage_date') }} as episode_key
    from alert_days

),

alerts as (

    select
        firm_id,
        team_id,
        episode_key,
        min(usage_date) as alert_date,
        max(usage_date) as last_alert_date,
        count(*) as alert_days,
        max(ratio) as peak_ratio,
        max(total_tokens) as peak_tokens
    from episodes
    group by firm_id, team_id, episode_key

),

first_alert_day as (

    select
        alerts.firm_id,
        alerts.team_id,
        alerts.alert_date,
        alerts.last_alert_date,
        alerts.alert_days,
        alerts.peak_ratio,
        alerts.peak_tokens,
        episodes.total_tokens as tokens,
        episodes.baseline_tokens,
        {{ dbt.dateadd('day', -var('model_change_window_days'), 'alerts.alert_date') }}
            as window_start,
        {{ dbt.dateadd('day', var('model_change_window_days'), 'alerts.alert_date') }}
            as window_end
    from alerts
    inner join episodes
        on
            alerts.firm_id = episodes.firm_id
            and alerts.team_id = episodes.team_id
            and alerts.alert_date = episodes.usage_date

),

model_first_seen as (

    select
        firm_id,
        team_id,
        model,
        min(usage_date) as first_seen_date
    from token_usage
    where model is not null
    group by firm_id, team_id, model

),

new_model_tokens as (

    select
        first_alert_day.firm_id,
        first_alert_day.team_id,
        first_alert_day.alert_date,
        model_first_seen.model,
        sum(token_usage.total_tokens) as model_tokens,
        row_number() over (
            partition by
                first_alert_day.firm_id, first_alert_day.team_id, first_alert_day.alert_date
            order by sum(token_usage.total_tokens) desc, model_first_seen.model
        ) as model_rank
    from first_alert_day
    inner join model_first_seen
        on
            first_alert_day.firm_id = model_first_seen.firm_id
            and first_alert_day.team_id = model_first_seen.team_id
            and first_alert_day.window_start <= model_first_seen.first_seen_date
            and first_alert_day.window_end >= model_first_seen.first_seen_date
    inner join token_usage
        on
            first_alert_day.firm_id = token_usage.firm_id
            and first_alert_day.team_id = token_usage.team_id
            and first_alert_day.alert_date = token_usage.usage_date
            and model_first_seen.model = token_usage.model
    group by
        first_alert_day.firm_id,
        first_alert_day.team_id,
        first_alert_day.alert_date,
        model_first_seen.model

),

final as (

    select
        {{ tpsp.surrogate_key([
            'first_alert_day.firm_id', 'first_alert_day.team_id', 'first_alert_day.alert_date'
        ]) }} as spike_alert_id,
        first_alert_day.firm_id,
        first_alert_day.team_id,
        cast(first_alert_day.alert_date as date) as date,
        cast(first_alert_day.last_alert_date as date) as last_date,
        cast(first_alert_day.alert_days as bigint) as alert_days,
        cast(first_alert_day.tokens as bigint) as tokens,
        cast(first_alert_day.baseline_tokens as double) as baseline_tokens,
        cast(first_alert_day.peak_ratio as double) as peak_ratio,
        new_model_tokens.model as new_model,
        -- the new model carries at least half of the increase over the baseline
        case
            when
                new_model_tokens.model_tokens
                >= 0.5 * (first_alert_day.tokens - first_alert_day.baseline_tokens)
                then 'model_change'
        end as annotation,
        'investigate' as label
    from first_alert_day
    left join new_model_tokens
        on
            first_alert_day.firm_id = new_model_tokens.firm_id
            and first_alert_day.team_id = new_model_tokens.team_id
            and first_alert_day.alert_date = new_model_tokens.alert_date
            and new_model_tokens.model_rank = 1

)

select * from final
