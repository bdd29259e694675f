with

source as (

    select * from {{ source('jira_issues', 'issues') }}

),

issues as (

    select
        filename,
        {{ tpsp.explode('issues') }} as issue
    from source

),

renamed as (

    select
        -- ids
        {{ tpsp.landing_firm_id('filename') }} as firm_id,
        issue.key as artifact_key,
        issue.fields.team_id,

        -- classification
        issue.fields.issuetype.name as issue_type,
        issue.fields.status.name as status_name,
        issue.fields.status.statusCategory.key as status_category,
        issue.fields.resolution.name as resolution_name,
        lower(issue.fields.issuetype.name) = 'bug' as is_bug,
        lower(issue.fields.issuetype.name) in ('story', 'feature', 'epic') as is_feature,
        issue.fields.status.statusCategory.key = 'done'
        and lower(coalesce(issue.fields.resolution.name, 'done'))
        not in ('won''t do', 'cancelled', 'canceled', 'duplicate', 'declined')
            as is_completed,
        issue.fields.status.statusCategory.key = 'done'
        and lower(coalesce(issue.fields.resolution.name, 'done'))
        in ('won''t do', 'cancelled', 'canceled', 'duplicate', 'declined')
            as is_cancelled,

        -- size
        issue.fields.customfield_10016 as story_points,

        -- timestamps: landed in UTC as Jira writes them (`…T09:00:00.000+0000`)
        cast(substr(issue.fields.created, 1, 19) as timestamp) as created_at,
        cast(substr(issue.fields.resolutiondate, 1, 19) as timestamp) as resolved_at,
        {{ tpsp.landing_export_date('filename') }} as export_date,
        filename as landed_file

    from issues

),

deduplicated as (

    {{ tpsp.deduplicate_latest('renamed', ['firm_id', 'artifact_key']) }}

)

select
    {{ tpsp.surrogate_key(['firm_id', 'artifact_key']) }} as issue_id,
    *
from deduplicated
