{#-
    The effect of AI adoption on cycle time and defect rate, per firm (the cohort: teams that
    share a firm, its process and its calendar): the mean of the adopting teams'
    difference-in-differences against the firm's not-yet-adopted teams, with the number of
    teams behind it and a bootstrap 90% interval over the adopting teams.
-#}
{%- set replicates = var('adoption_bootstrap_replicates') -%}

with

team_effects as (

    select * from {{ ref('int_adoption_team_effects') }}

),

long_effects as (

    select
        firm_id,
        team_id,
        control_teams,
        'cycle_time_effect_pct' as metric,
        cycle_time_effect_pct as effect
    from team_effects
    union all
    select
        firm_id,
        team_id,
        control_teams,
        'defect_rate_did' as metric,
        defect_rate_did as effect
    from team_effects

),

indexed as (

    select
        firm_id,
        team_id,
        metric,
        effect,
        control_teams,
        row_number() over (partition by firm_id, metric order by team_id) - 1 as team_index,
        count(*) over (partition by firm_id, metric) as teams
    from long_effects
    where effect is not null

),

replicate_numbers as (

    {{ tpsp.integers(replicates) }}

),

-- each replicate draws `teams` teams with replacement, deterministically
draws as (

    select
        indexed.firm_id,
        indexed.metric,
        replicate_numbers.n as replicate,
        {{ tpsp.stable_hash_mod(
            dbt.concat([
                'indexed.firm_id', "'|'", 'indexed.metric', "'|'",
                dbt.safe_cast('replicate_numbers.n', dbt.type_string()), "'|'",
                dbt.safe_cast('indexed.team_index', dbt.type_string())
            ]),
            'indexed.teams'
        ) }} as drawn_index
    from indexed
    cross join replicate_numbers

),

replicate_means as (

    select
        draws.firm_id,
        draws.metric,
        draws.replicate,
        avg(indexed.effect) as mean_effect
    from draws
    inner join indexed
        on
            draws.firm_id = indexed.firm_id
            and draws.metric = indexed.metric
            and draws.drawn_index = indexed.team_index
    group by draws.firm_id, draws.metric, draws.replicate

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
        max(control_teams) as control_teams
    from indexed
    group by firm_id, metric

),

final as (

    select
        {{ tpsp.surrogate_key(['estimates.firm_id', 'estimates.metric']) }}
            as adoption_impact_id,
        estimates.firm_id,
        estimates.metric,
        cast(estimates.adopting_teams as bigint) as adopting_teams,
        cast(estimates.control_teams as bigint) as control_teams,
        cast(estimates.estimate as double) as estimate,
        cast(intervals.ci_low as double) as ci_low,
        cast(intervals.ci_high as double) as ci_high
    from estimates
    inner join intervals
        on
            estimates.firm_id = intervals.firm_id
            and estimates.metric = intervals.metric

)

select * from final
