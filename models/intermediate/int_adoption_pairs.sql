{#-
    Difference in differences per adopting team and control team. A team adopts on its first
    day of token usage, provided it shipped work at least adoption_window_days before. Its
    median cycle time and defect rate change from the window before adoption to the window
    after; each of the firm's teams that had not adopted by the end of that window (or never
    does) changes by some amount over the same windows, and that change is subtracted. Cycle
    time is compared in logs, so a change is a ratio: the same planted speed-up reads the same
    whether a team's usual cycle is a day or a week, and a shift that lengthens both arms'
    medians alike (such as work started before the data began) cancels out.
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
        team_id as member_team_id
    from treated
    union all
    select
        firm_id,
        treated_team_id,
        control_team_id as member_team_id
    from controls

),

windowed as (

    select
        groups.firm_id,
        groups.treated_team_id,
        groups.member_team_id,
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

-- one row per (treated team, member team): medians and bug shares before and after
cells as (

    select
        firm_id,
        treated_team_id,
        member_team_id,
        {{ tpsp.median("case when phase = 'before' then cycle_time_hours end") }}
            as cycle_before,
        {{ tpsp.median("case when phase = 'after' then cycle_time_hours end") }}
            as cycle_after,
        {{ tpsp.safe_divide(
            "sum(case when phase = 'before' and is_bug then 1 else 0 end)",
            "sum(case when phase = 'before' then 1 else 0 end)"
        ) }} as defects_before,
        {{ tpsp.safe_divide(
            "sum(case when phase = 'after' and is_bug then 1 else 0 end)",
            "sum(case when phase = 'after' then 1 else 0 end)"
        ) }} as defects_after
    from windowed
    group by firm_id, treated_team_id, member_team_id

),

pairs as (

    select
        treated_cells.firm_id,
        treated_cells.treated_team_id,
        control_cells.member_team_id as control_team_id,
        treated_cells.cycle_before as treated_cycle_before,
        treated_cells.cycle_after as treated_cycle_after,
        control_cells.cycle_before as control_cycle_before,
        control_cells.cycle_after as control_cycle_after,
        -- a median of 0 hours has no log: that pair gives no cycle-time comparison
        case
            when
                treated_cells.cycle_before > 0
                and treated_cells.cycle_after > 0
                and control_cells.cycle_before > 0
                and control_cells.cycle_after > 0
                then
                    ln(treated_cells.cycle_after / treated_cells.cycle_before)
                    - ln(control_cells.cycle_after / control_cells.cycle_before)
        end as cycle_time_log_did,
        (treated_cells.defects_after - treated_cells.defects_before)
        - (control_cells.defects_after - control_cells.defects_before) as defect_rate_did
    from cells as treated_cells
    inner join cells as control_cells
        on
            treated_cells.firm_id = control_cells.firm_id
            and treated_cells.treated_team_id = control_cells.treated_team_id
            and treated_cells.member_team_id != control_cells.member_team_id
    where treated_cells.treated_team_id = treated_cells.member_team_id

),

final as (

    select
        {{ tpsp.surrogate_key([
            'pairs.firm_id', 'pairs.treated_team_id', 'pairs.control_team_id'
        ]) }} as adoption_pair_id,
        pairs.firm_id,
        pairs.treated_team_id as team_id,
        pairs.control_team_id,
        treated.adopted_on,
        pairs.treated_cycle_before,
        pairs.treated_cycle_after,
        pairs.control_cycle_before,
        pairs.control_cycle_after,
        pairs.cycle_time_log_did,
        100 * (exp(pairs.cycle_time_log_did) - 1) as cycle_time_effect_pct,
        pairs.defect_rate_did
    from pairs
    inner join treated
        on
            pairs.firm_id = treated.firm_id
            and pairs.treated_team_id = treated.team_id

)

select * from final
