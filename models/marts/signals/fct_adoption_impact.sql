{#-
    The effect of AI adoption on cycle time and defect rate, per firm (the cohort: teams that
    share a firm, its process and its calendar). Each adopting team's effect is the mean of
    its difference-in-differences against each not-yet-adopted team of the firm; the firm's
    estimate is the mean over adopting teams. Cycle time is averaged in logs and reported as
    a % change (a geometric mean ratio); defect rate in absolute points.

    The 90% interval is a two-arm bootstrap: each replicate draws the adopting teams with
    replacement and, once for all of them, the firm's control teams with replacement. The
    control teams are shared by every adopting team, so their noise moves every team's effect
    at once; drawing them once per replicate carries that into the interval.
-#}
{%- set replicates = var('adoption_bootstrap_replicates') -%}

with

pairs as (

    select * from {{ ref('int_adoption_pairs') }}

),

long_pairs as (

    select
        firm_id,
        team_id,
        control_team_id,
        'cycle_time_effect_pct' as metric,
        cycle_time_log_did as effect
    from pairs
    union all
    select
        firm_id,
        team_id,
        control_team_id,
        'defect_rate_did' as metric,
        defect_rate_did as effect
    from pairs

),

controls as (

    select
        firm_id,
        team_id,
        control_team_id,
        metric,
        effect,
        count(*) over (partition by firm_id, metric, team_id) as team_controls
    from long_pairs
    where effect is not null

),

team_effects as (

    select
        firm_id,
        team_id,
        metric,
        avg(effect) as effect,
        max(team_controls) as team_controls
    from controls
    group by firm_id, team_id, metric

),

adopters as (

    select
        firm_id,
        team_id,
        metric,
        effect,
        team_controls,
        row_number() over (partition by firm_id, metric order by team_id) - 1 as team_index,
        count(*) over (partition by firm_id, metric) as teams
    from team_effects

),

replicate_numbers as (

    {{ tpsp.integers(replicates) }}

),

-- each adopting team's row is one slot of the replicate, filled by a drawn adopting team
team_draws as (

    select
        adopters.firm_id,
        adopters.metric,
        replicate_numbers.n as replicate,
        adopters.team_index as slot,
        {{ tpsp.stable_hash_mod(
            dbt.concat([
                'adopters.firm_id', "'|'", 'adopters.metric', "'|'",
                dbt.safe_cast('replicate_numbers.n', dbt.type_string()), "'|'",
                dbt.safe_cast('adopters.team_index', dbt.type_string())
            ]),
            'adopters.teams'
        ) }} as drawn_index
    from adopters
    cross join replicate_numbers

),

control_teams as (

    select
        firm_id,
        metric,
        control_team_id,
        row_number() over (partition by firm_id, metric order by control_team_id) - 1
            as control_index,
        count(*) over (partition by firm_id, metric) as firm_controls
    from (
        select distinct
            firm_id,
            metric,
            control_team_id
        from controls
    ) as distinct_controls

),

-- each control team's row is one slot of the replicate's control sample
control_draws as (

    select
        control_teams.firm_id,
        control_teams.metric,
        replicate_numbers.n as replicate,
        {{ tpsp.stable_hash_mod(
            dbt.concat([
                'control_teams.firm_id', "'|'", 'control_teams.metric', "'|control|'",
                dbt.safe_cast('replicate_numbers.n', dbt.type_string()), "'|'",
                dbt.safe_cast('control_teams.control_index', dbt.type_string())
            ]),
            'control_teams.firm_controls'
        ) }} as drawn_index
    from control_teams
    cross join replicate_numbers

),

drawn_controls as (

    select
        control_draws.firm_id,
        control_draws.metric,
        control_draws.replicate,
        control_teams.control_team_id
    from control_draws
    inner join control_teams
        on
            control_draws.firm_id = control_teams.firm_id
            and control_draws.metric = control_teams.metric
            and control_draws.drawn_index = control_teams.control_index

),

-- a drawn adopting team against the replicate's drawn controls that were valid for it
slot_effects as (

    select
        team_draws.firm_id,
        team_draws.metric,
        team_draws.replicate,
        team_draws.slot,
        avg(controls.effect) as effect
    from team_draws
    inner join adopters as drawn
        on
            team_draws.firm_id = drawn.firm_id
            and team_draws.metric = drawn.metric
            and team_draws.drawn_index = drawn.team_index
    inner join drawn_controls
        on
            team_draws.firm_id = drawn_controls.firm_id
            and team_draws.metric = drawn_controls.metric
            and team_draws.replicate = drawn_controls.replicate
    inner join controls
        on
            drawn.firm_id = controls.firm_id
            and drawn.metric = controls.metric
            and drawn.team_id = controls.team_id
            and drawn_controls.control_team_id = controls.control_team_id
    group by
        team_draws.firm_id,
        team_draws.metric,
        team_draws.replicate,
        team_draws.slot

),

replicate_means as (

    select
        firm_id,
        metric,
        replicate,
        avg(effect) as mean_effect
    from slot_effects
    group by firm_id, metric, replicate

),

intervals as (

    select
        firm_id,
        metric,
        {{ tpsp.percentile_cont('mean_effect', 0.05) }} as ci_low,
        {{ tpsp.percentile_cont('mean_effect', 0.95) }} as ci_high
    from replicate_means
    group by firm_id, metric

),

estimates as (

    select
        firm_id,
        metric,
        avg(effect) as estimate,
        count(*) as adopting_teams,
        max(team_controls) as control_teams
    from adopters
    group by firm_id, metric

),

-- log ratios back to % changes; exp is increasing, so the interval's ends map to its ends
on_reporting_scale as (

    select
        estimates.firm_id,
        estimates.metric,
        estimates.adopting_teams,
        estimates.control_teams,
        case
            when estimates.metric = 'cycle_time_effect_pct'
                then 100 * (exp(estimates.estimate) - 1)
            else estimates.estimate
        end as estimate,
        case
            when estimates.metric = 'cycle_time_effect_pct'
                then 100 * (exp(intervals.ci_low) - 1)
            else intervals.ci_low
        end as ci_low,
        case
            when estimates.metric = 'cycle_time_effect_pct'
                then 100 * (exp(intervals.ci_high) - 1)
            else intervals.ci_high
        end as ci_high
    from estimates
    inner join intervals
        on
            estimates.firm_id = intervals.firm_id
            and estimates.metric = intervals.metric

),

final as (

    select
        {{ tpsp.surrogate_key(['firm_id', 'metric']) }} as adoption_impact_id,
        firm_id,
        metric,
        cast(adopting_teams as bigint) as adopting_teams,
        cast(control_teams as bigint) as control_teams,
        -- floating-point sums depend on the order threads add them in: rounding keeps
        -- rebuilds identical bit for bit
        cast(round(estimate, 9) as double) as estimate,
        cast(round(ci_low, 9) as double) as ci_low,
        cast(round(ci_high, 9) as double) as ci_high
    from on_reporting_scale

)

select * from final
