{#-
    Token use that produces no shipped work, or does not look like people working. One row per
    firm × team × signal, with the evidence behind it; labelled `investigate`, never a score.
      tokens_without_output   gaming_idle_weeks or more consecutive weeks with tokens and
                              nothing shipped;
      repetitive_requests     at least gaming_repeat_share of the team's calls repeat one
                              fingerprint gaming_repeat_min_count times or more in a day;
      machine_regular_timing  calls in at least gaming_active_hours_of_week of the 168 hours
                              of the week, evenly (coefficient of variation at most
                              gaming_timing_max_cv).
-#}
with

weekly_output as (

    select * from {{ ref('int_team_weekly_output') }}

),

fingerprints as (

    select * from {{ ref('int_request_fingerprints') }}

),

token_usage as (

    select * from {{ ref('int_token_usage') }}

),

idle_weeks as (

    select
        firm_id,
        team_id,
        week_start,
        total_tokens,
        row_number() over (partition by firm_id, team_id order by week_start) as idle_number
    from weekly_output
    where total_tokens > 0 and shipped_artifacts = 0

),

idle_runs as (

    select
        firm_id,
        team_id,
        min(week_start) as first_date,
        count(*) as run_weeks,
        sum(total_tokens) as run_tokens
    from idle_weeks
    group by
        firm_id,
        team_id,
        {{ dbt.dateadd('day', '-7 * idle_number', 'week_start') }}

),

tokens_without_output as (

    select
        firm_id,
        team_id,
        'tokens_without_output' as signal,
        min(first_date) as first_date,
        cast(max(run_weeks) as double) as evidence_value,
        'consecutive weeks with tokens and nothing shipped' as evidence
    from idle_runs
    where run_weeks >= {{ var('gaming_idle_weeks') }}
    group by firm_id, team_id

),

fingerprint_shares as (

    select
        firm_id,
        team_id,
        sum(requests) as requests,
        sum(
            case when requests >= {{ var('gaming_repeat_min_count') }} then requests else 0 end
        ) as repeated_requests
    from fingerprints
    group by firm_id, team_id

),

repetitive_requests as (

    select
        firm_id,
        team_id,
        'repetitive_requests' as signal,
        cast(null as date) as first_date,
        cast(repeated_requests as double) / requests as evidence_value,
        'share of calls repeating one fingerprint' as evidence
    from fingerprint_shares
    where
        requests >= {{ var('gaming_min_requests') }}
        and repeated_requests >= {{ var('gaming_repeat_share') }} * requests

),

hours_of_week as (

    select
        firm_id,
        team_id,
        {{ tpsp.hour_of_week('usage_at') }} as hour_of_week,
        sum(requests) as requests
    from token_usage
    where time_grain = 'hour' and requests > 0
    group by
        firm_id,
        team_id,
        {{ tpsp.hour_of_week('usage_at') }}

),

timing_profiles as (

    select
        firm_id,
        team_id,
        count(*) as active_hours,
        sum(requests) as requests,
        stddev_pop(requests) / avg(requests) as coefficient_of_variation
    from hours_of_week
    group by firm_id, team_id

),

machine_regular_timing as (

    select
        firm_id,
        team_id,
        'machine_regular_timing' as signal,
        cast(null as date) as first_date,
        coefficient_of_variation as evidence_value,
        'coefficient of variation of calls over the hours of the week' as evidence
    from timing_profiles
    where
        requests >= {{ var('gaming_min_requests') }}
        and active_hours >= {{ var('gaming_active_hours_of_week') }}
        and coefficient_of_variation <= {{ var('gaming_timing_max_cv') }}

),

unioned as (

    select * from tokens_without_output
    union all
    select * from repetitive_requests
    union all
    select * from machine_regular_timing

),

final as (

    select
        {{ tpsp.surrogate_key(['firm_id', 'team_id', 'signal']) }} as gaming_signal_id,
        firm_id,
        team_id,
        signal,
        cast(first_date as date) as first_date,
        -- floating-point sums depend on the order threads add them in: rounding keeps
        -- rebuilds identical bit for bit
        cast(round(evidence_value, 9) as double) as evidence_value,
        evidence,
        'investigate' as label
    from unioned

)

select * from final
