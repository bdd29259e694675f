with

artifacts as (

    select * from {{ ref('int_shipped_artifacts') }}

),

artifact_tokens as (

    select * from {{ ref('int_artifact_tokens') }}

),

daily_totals as (

    select * from {{ ref('stg_daily_totals__team_days') }}

),

shipped as (

    select
        artifacts.firm_id,
        artifacts.team_id,
        artifacts.kind,
        artifacts.is_feature,
        artifacts.is_successful,
        artifacts.cycle_time_hours,
        artifact_tokens.attributed_tokens,
        artifact_tokens.direct_tokens,
        -- AI-assisted: tokens that named the pull request's own key reached it
        artifacts.kind = 'pull_request' and artifact_tokens.direct_tokens > 0 as is_ai_assisted_pr,
        artifacts.kind = 'pull_request' and artifact_tokens.direct_tokens = 0 as is_unassisted_pr,
        cast({{ dbt.date_trunc('month', 'artifacts.shipped_at') }} as date) as month
    from artifacts
    inner join artifact_tokens
        on artifacts.artifact_id = artifact_tokens.artifact_id
    where artifacts.status = 'shipped'

),

shipped_months as (

    select
        firm_id,
        team_id,
        month,
        sum(case when kind = 'pull_request' then 1 else 0 end) as merged_prs,
        sum(case when kind = 'task' then 1 else 0 end) as completed_tasks,
        sum(case when kind = 'task' and is_successful then 1 else 0 end) as successful_tasks,
        count(*) as shipped_artifacts,
        sum(case when is_feature then 1 else 0 end) as shipped_features,
        sum(case when is_feature then attributed_tokens else 0 end) as feature_tokens,
        {{ tpsp.median('cycle_time_hours') }} as cycle_time_hours,
        {{ tpsp.percentile_cont('cycle_time_hours', 0.9) }} as cycle_time_p90_hours,
        sum(case when is_ai_assisted_pr then 1 else 0 end) as ai_assisted_merged_prs,
        sum(case when is_ai_assisted_pr then direct_tokens else 0 end) as ai_assisted_pr_tokens,
        {{ tpsp.median('case when is_ai_assisted_pr then cycle_time_hours end') }}
            as cycle_time_hours_ai_assisted,
        {{ tpsp.median('case when is_unassisted_pr then cycle_time_hours end') }}
            as cycle_time_hours_unassisted
    from shipped
    group by firm_id, team_id, month

),

-- bugs count against the month they were opened in, by the team that owns them
bug_months as (

    select
        firm_id,
        team_id,
        cast({{ dbt.date_trunc('month', 'opened_at') }} as date) as month,
        count(*) as bugs_opened
    from artifacts
    where is_bug and kind = 'task'
    group by firm_id, team_id, cast({{ dbt.date_trunc('month', 'opened_at') }} as date)

),

artifact_months as (

    select
        coalesce(shipped_months.firm_id, bug_months.firm_id) as firm_id,
        coalesce(shipped_months.team_id, bug_months.team_id) as team_id,
        coalesce(shipped_months.month, bug_months.month) as month,
        coalesce(shipped_months.merged_prs, 0) as merged_prs,
        coalesce(shipped_months.completed_tasks, 0) as completed_tasks,
        coalesce(shipped_months.successful_tasks, 0) as successful_tasks,
        coalesce(shipped_months.shipped_artifacts, 0) as shipped_artifacts,
        coalesce(shipped_months.shipped_features, 0) as shipped_features,
        coalesce(shipped_months.feature_tokens, 0) as feature_tokens,
        coalesce(bug_months.bugs_opened, 0) as bugs_opened,
        shipped_months.cycle_time_hours,
        shipped_months.cycle_time_p90_hours,
        coalesce(shipped_months.ai_assisted_merged_prs, 0) as ai_assisted_merged_prs,
        coalesce(shipped_months.ai_assisted_pr_tokens, 0) as ai_assisted_pr_tokens,
        shipped_months.cycle_time_hours_ai_assisted,
        shipped_months.cycle_time_hours_unassisted
    from shipped_months
    full outer join bug_months
        on
            shipped_months.firm_id = bug_months.firm_id
            and shipped_months.team_id = bug_months.team_id
            and shipped_months.month = bug_months.month

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
        sum(defect_count) as defect_count,
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
        cast(null as bigint) as feature_tokens,
        sum(defect_count) as bugs_opened,
        {{ tpsp.safe_divide('sum(cycle_time_hours_weighted)', 'sum(shipped_artifacts)') }}
            as cycle_time_hours,
        cast(null as double) as cycle_time_p90_hours,
        -- daily totals carry no artifact keys: no pull request can be told AI-assisted
        cast(null as bigint) as ai_assisted_merged_prs,
        cast(null as bigint) as ai_assisted_pr_tokens,
        cast(null as double) as cycle_time_hours_ai_assisted,
        cast(null as double) as cycle_time_hours_unassisted
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
