with

source as (

    select * from {{ source('github_issues', 'issues') }}

),

labels as (

    select
        artifact_key,
        filename,
        {{ tpsp.explode('labels') }} as label
    from source

),

label_flags as (

    select
        artifact_key,
        filename,
        max(case when label.name in ('feature', 'enhancement') then 1 else 0 end) as has_feature,
        max(case when label.name in ('bug', 'fix') then 1 else 0 end) as has_bug
    from labels
    group by artifact_key, filename

),

renamed as (

    select
        -- ids
        {{ tpsp.landing_firm_id('source.filename') }} as firm_id,
        source.artifact_key,
        source.team_id,

        -- classification
        source.state,
        source.state_reason,
        source.type.name as issue_type,
        source.type.name = 'Bug' or coalesce(label_flags.has_bug, 0) = 1 as is_bug,
        source.type.name = 'Feature' or coalesce(label_flags.has_feature, 0) = 1 as is_feature,
        -- issues closed before GitHub recorded a reason count as completed
        source.state = 'closed' and coalesce(source.state_reason, 'completed') = 'completed'
            as is_completed,
        source.state = 'closed' and source.state_reason in ('not_planned', 'duplicate')
            as is_cancelled,
        coalesce(source.state_reason = 'reopened', false) as is_reopened,

        -- timestamps
        cast(substr(source.created_at, 1, 19) as timestamp) as created_at,
        cast(substr(source.closed_at, 1, 19) as timestamp) as closed_at,
        {{ tpsp.landing_export_date('source.filename') }} as export_date,
        source.filename as landed_file

    from source
    left join label_flags
        on
            source.artifact_key = label_flags.artifact_key
            and source.filename = label_flags.filename

),

deduplicated as (

    {{ tpsp.deduplicate_latest('renamed', ['firm_id', 'artifact_key']) }}

)

select
    {{ tpsp.surrogate_key(['firm_id', 'artifact_key']) }} as issue_id,
    *
from deduplicated
