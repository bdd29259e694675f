{#-
    Difference in differences per adopting team. A team adopts on its first day of token
    usage, provided it shipped work at least adoption_window_days before. Its median cycle
    time and defect rate in the window before and the window after adoption change by some
    amount; the same change over the same windows among the firm's teams that had not adopted
    yet (or never do) is subtracted.
-#}
{%- set window = var('adoption_window_days') -%}

with

team_days as (

    select * from {{ ref('int_team_daily_usage') }}

),

artifacts as (

    select * from {{ ref('int_shipped_artifacts') }}

),

adoptions as (

    select
        firm_id,
        team_id,
        min(usage_date) as adopted_on
    from team_days
    where total_tokens > 0
    group by firm_id, team_id

),

shipped as (

    select
        firm_id,
        team_id,
        cast(shipped_at as date) as shipped_on,
        cycle_time_hours,
        is_bug
    from artifacts
    where status = 'shipped'

),

first_shipped as (

    select
        firm_id,
        team_id,
        min(shipped_on) as first_shipped_on
    from shipped
    group by firm_id, team_id

),

treated as (

    select
        adoptions.firm_id,
        adoptions.team_id,
        adoptions.adopted_on,
        {{ dbt.dateadd('day', -window, 'adoptions.adopted_on') }} as window_start,
        {{ dbt.dateadd('day', window, 'adoptions.adopted_on') }} as window_end
    from adoptions
    inner join first_shipped
        on
            adoptions.firm_id = first_shipped.firm_id
            and adoptions.team_id = first_shipped.team_id
    where
        first_shipped.first_shipped_on
        <= {{ dbt.dateadd('day', -window, 'adoptions.adopted_on') }}

),

-- every team of the firm that has not adopted by the end of the treated team's window
controls as (

    select
        treated.firm_id,
        treated.team_id as treated_team_id,
        first_shipped.team_id as control_team_id
    from treated
    inner join first_shipped
        on
            treated.firm_id = first_shipped.firm_id
            and treated.team_id != first_shipped.team_id
    left join adoptions
        on
            first_shipped.firm_id = adoptions.firm_id
            and first_shipped.team_id = adoptions.team_id
    where adoptions.adopted_on is null or adoptions.adopted_on >= treated.window_end

),

groups as (

    select
        firm_id,
        team_id as treated_team_id,
        team_id as member_team_id,
        'treated' as arm
    from treated
    union all
    select
        firm_id,
        treated_team_id,
        control_team_id as member_team_id,
        'control' as arm
    from controls

),

windowed as (

    select
        groups.firm_id,
        groups.treated_team_id,
        groups.arm,
        shipped.cycle_time_hours,
        shipped.is_bug,
        case when shipped.shipped_on < treated.adopted_on then 'before' else 'after' end
            as phase
    from groups
    inner join treated
        on
            groups.firm_id = treated.firm_id
            and groups.treated_team_id = treated.team_id
    inner join shipped
        on
            groups.firm_id = shipped.firm_id
            and groups.member_team_id = shipped.team_id
            and treated.window_start <= shipped.shipped_on
            and treated.window_end > shipped.shipped_on

),

cells as (

    select
        firm_id,
        treated_team_id,
        arm,
        phase,
        count(*) as shipped_artifacts,
        {{ tpsp.median('cycle_time_hours') }} as cycle_time_hours,
        {{ tpsp.safe_divide('sum(case when is_bug then 1 else 0 end)', 'count(*)') }}
            as defect_rate
    from windowed
    group by firm_id, treated_team_id, arm, phase

),

pivoted as (

    select
        firm_id,
        treated_team_id,
        max(case when arm = 'treated' and phase = 'before' then cycle_time_hours end)
            as treated_cycle_before,
        max(case when arm = 'treated' and phase = 'after' then cycle_time_hours end)
            as treated_cycle_after,
        max(case when arm = 'control' and phase = 'before' then cycle_time_hours end)
            as control_cycle_before,
        max(case when arm = 'control' and phase = 'after' then cycle_time_hours end)
            as control_cycle_after,
        max(case when arm = 'treated' and phase = 'before' then defect_rate end)
            as treated_defects_before,
        max(case when arm = 'treated' and phase = 'after' then defect_rate end)
            as treated_defects_after,
        max(case when arm = 'control' and phase = 'before' then defect_rate end)
            as control_defects_before,
        max(case when arm = 'control' and phase = 'after' then defect_rate end)
            as control_defects_after
    from cells
    group by firm_id, treated_team_id

),

control_counts as (

    select
        firm_id,
        treated_team_id,
        count(*) as control_teams
    from controls
    group by firm_id, treated_team_id

),

final as (

    select
        {{ tpsp.surrogate_key(['pivoted.firm_id', 'pivoted.treated_team_id']) }}
            as adoption_effect_id,
        pivoted.firm_id,
        pivoted.treated_team_id as team_id,
        treated.adopted_on,
        control_counts.control_teams,
        pivoted.treated_cycle_before,
        pivoted.treated_cycle_after,
        pivoted.control_cycle_before,
        pivoted.control_cycle_after,
        (pivoted.treated_cycle_after - pivoted.treated_cycle_before)
        - (pivoted.control_cycle_after - pivoted.control_cycle_before)
            as cycle_time_did_hours,
        {{ tpsp.safe_divide(
            '(pivoted.treated_cycle_after - pivoted.treated_cycle_before)'
            ~ ' - (pivoted.control_cycle_after - pivoted.control_cycle_before)',
            'pivoted.treated_cycle_before'
        ) }} * 100 as cycle_time_effect_pct,
        (pivoted.treated_defects_after - pivoted.treated_defects_before)
        - (pivoted.control_defects_after - pivoted.control_defects_before)
            as defect_rate_did
    from pivoted
    inner join treated
        on
            pivoted.firm_id = treated.firm_id
            and pivoted.treated_team_id = treated.team_id
    inner join control_counts
        on
            pivoted.firm_id = control_counts.firm_id
            and pivoted.treated_team_id = control_counts.treated_team_id

)

select * from final
