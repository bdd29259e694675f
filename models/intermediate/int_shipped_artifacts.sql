with

pull_requests as (

    select * from {{ ref('stg_github_pulls__pull_requests') }}

),

jira_issues as (

    select * from {{ ref('stg_jira_issues__issues') }}

),

pull_request_artifacts as (

    select
        firm_id,
        artifact_key,
        'pull_request' as kind,
        'github_pulls' as source_kind,
        team_id,
        created_at as opened_at,
        merged_at as shipped_at,
        coalesce(merged_at, closed_at) as ended_at,
        case
            when is_merged then 'shipped'
            when state = 'closed' then 'abandoned'
            else 'open'
        end as status,
        is_feature,
        is_bug,
        cast(lines_changed as double) as size
    from pull_requests
    where not is_draft or is_merged

),

task_artifacts as (

    select
        firm_id,
        artifact_key,
        'task' as kind,
        'jira_issues' as source_kind,
        team_id,
        created_at as opened_at,
        case when is_completed then resolved_at end as shipped_at,
        case when is_completed or is_cancelled then resolved_at end as ended_at,
        case
            when is_completed then 'shipped'
            when is_cancelled then 'abandoned'
            else 'open'
        end as status,
        is_feature,
        is_bug,
        cast(story_points as double) as size
    from jira_issues

),

unioned as (

    select * from pull_request_artifacts
    union all
    select * from task_artifacts

),

final as (

    select
        {{ tpsp.surrogate_key(['firm_id', 'artifact_key']) }} as artifact_id,
        firm_id,
        artifact_key,
        kind,
        source_kind,
        team_id,
        opened_at,
        shipped_at,
        ended_at,
        status,
        is_feature,
        is_bug,
        size,
        -- the landed exports carry no issue history or revert links yet
        false as reopened,
        false as reverted,
        status = 'shipped' as is_successful,
        case
            when shipped_at is not null
                then {{ dbt.datediff('opened_at', 'shipped_at', 'hour') }}
        end as cycle_time_hours
    from unioned

)

select * from final
