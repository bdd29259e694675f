with

pull_requests as (

    select * from {{ ref('stg_github_pulls__pull_requests') }}

),

jira_issues as (

    select * from {{ ref('stg_jira_issues__issues') }}

),

merge_requests as (

    select * from {{ ref('stg_gitlab_merge_requests__merge_requests') }}

),

github_issues as (

    select * from {{ ref('stg_github_issues__issues') }}

),

linear_issues as (

    select * from {{ ref('stg_linear_issues__issues') }}

),

releases as (

    select * from {{ ref('stg_github_releases__releases') }}

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
        cast(lines_changed as double) as size,
        false as reopened
    from pull_requests
    where not is_draft or is_merged

),

-- GitLab's merge request list has no line counts: a merge request has no size
merge_request_artifacts as (

    select
        firm_id,
        artifact_key,
        'pull_request' as kind,
        'gitlab_merge_requests' as source_kind,
        team_id,
        created_at as opened_at,
        merged_at as shipped_at,
        coalesce(merged_at, closed_at) as ended_at,
        case
            when is_merged then 'shipped'
            when state in ('closed', 'locked') then 'abandoned'
            else 'open'
        end as status,
        is_feature,
        is_bug,
        cast(null as double) as size,
        false as reopened
    from merge_requests
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
        cast(story_points as double) as size,
        false as reopened
    from jira_issues

),

github_issue_artifacts as (

    select
        firm_id,
        artifact_key,
        'task' as kind,
        'github_issues' as source_kind,
        team_id,
        created_at as opened_at,
        case when is_completed then closed_at end as shipped_at,
        case when is_completed or is_cancelled then closed_at end as ended_at,
        case
            when is_completed then 'shipped'
            when is_cancelled then 'abandoned'
            else 'open'
        end as status,
        is_feature,
        is_bug,
        cast(null as double) as size,
        is_reopened as reopened
    from github_issues

),

linear_issue_artifacts as (

    select
        firm_id,
        artifact_key,
        'task' as kind,
        'linear_issues' as source_kind,
        team_id,
        created_at as opened_at,
        case when is_completed then completed_at end as shipped_at,
        case
            when is_completed then completed_at
            when is_cancelled then coalesce(canceled_at, completed_at)
        end as ended_at,
        case
            when is_completed then 'shipped'
            when is_cancelled then 'abandoned'
            else 'open'
        end as status,
        is_feature,
        is_bug,
        cast(story_points as double) as size,
        false as reopened
    from linear_issues

),

-- a published release ships; a pre-release is a candidate, a draft is not out yet
release_artifacts as (

    select
        firm_id,
        artifact_key,
        'release' as kind,
        'github_releases' as source_kind,
        team_id,
        created_at as opened_at,
        case when is_published and not is_prerelease then published_at end as shipped_at,
        case when is_published then published_at end as ended_at,
        case when is_published and not is_prerelease then 'shipped' else 'open' end as status,
        false as is_feature,
        false as is_bug,
        cast(null as double) as size,
        false as reopened
    from releases

),

unioned as (

    select * from pull_request_artifacts
    union all
    select * from merge_request_artifacts
    union all
    select * from task_artifacts
    union all
    select * from github_issue_artifacts
    union all
    select * from linear_issue_artifacts
    union all
    select * from release_artifacts

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
        -- only GitHub issues say they were reopened; no export carries revert links yet
        reopened,
        false as reverted,
        status = 'shipped' and not reopened as is_successful,
        -- a release's creation-to-publication is no development cycle
        case
            when shipped_at is not null and kind != 'release'
                then {{ dbt.datediff('opened_at', 'shipped_at', 'hour') }}
        end as cycle_time_hours
    from unioned

)

select * from final
