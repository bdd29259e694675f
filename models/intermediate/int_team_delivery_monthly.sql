with

artifacts as (

    select * from {{ ref('int_shipped_artifacts') }}

),

daily_totals as (

    select * from {{ ref('stg_daily_totals__team_days') }}

),

artifact_months as (

    select
        firm_id,
        team_id,
        cast({{ dbt.date_trunc('month', 'shipped_at') }} as date) as month,
        sum(case when kind = 'pull_request' then 1 else 0 end) as merged_prs,
        sum(case when kind = 'task' then 1 else 0 end) as completed_tasks,
        sum(case when kind = 'task' and is_successful then 1 else 0 end) as successful_tasks,
        count(*) as shipped_artifacts,
        sum(case when is_feature then 1 else 0 end) as shipped_features,
        {{ tpsp.median('cycle_time_hours') }} as cycle_time_hours
    from artifacts
    where status = 'shipped'
    group by firm_id, team_id, cast({{ dbt.date_trunc('month', 'shipped_at') }} as date)

),

-- daily-totals firms: shipped artifacts count as merged changes, every completed task as
-- successful (the export has no reopen or bug links); cycle time is artifact-weighted
daily_total_days as (

    select
        firm_id,
        team_id,
        usage_date,
        sum(completed_tasks) as completed_tasks,
        sum(shipped_artifacts) as shipped_artifacts,
        sum({{ tpsp.fixed_point('cycle_time_hours * shipped_artifacts') }})
            as cycle_time_hours_weighted
    from daily_totals
    group by firm_id, team_id, usage_date

),

daily_total_months as (

    select
        firm_id,
        team_id,
        cast({{ dbt.date_trunc('month', 'usage_date') }} as date) as month,
        sum(shipped_artifacts) as merged_prs,
        sum(completed_tasks) as completed_tasks,
        sum(completed_tasks) as successful_tasks,
        sum(shipped_artifacts) + sum(completed_tasks) as shipped_artifacts,
        cast(null as bigint) as shipped_features,
        {{ tpsp.safe_divide('sum(cycle_time_hours_weighted)', 'sum(shipped_artifacts)') }}
            as cycle_time_hours
    from daily_total_days
    group by firm_id, team_id, cast({{ dbt.date_trunc('month', 'usage_date') }} as date)

),

unioned as (

    select * from artifact_months
    union all
    select * from daily_total_months

),

final as (

    select
        {{ tpsp.surrogate_key(['firm_id', 'team_id', 'month']) }} as team_month_id,
        *
    from unioned

)

select * from final
