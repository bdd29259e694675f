with

source as (

    select * from {{ source('gitlab_merge_requests', 'merge_requests') }}

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
        max(case when label in ('feature', 'enhancement', 'improvement') then 1 else 0 end)
            as has_feature,
        max(case when label in ('bug', 'fix') then 1 else 0 end) as has_bug
    from labels
    group by artifact_key, filename

),

renamed as (

    select
        -- ids
        {{ tpsp.landing_firm_id('source.filename') }} as firm_id,
        source.artifact_key,
        source.team_id,

        -- state
        source.state,
        coalesce(source.draft, false) as is_draft,
        source.state = 'merged' or source.merged_at is not null as is_merged,
        coalesce(label_flags.has_feature, 0) = 1 as is_feature,
        coalesce(label_flags.has_bug, 0) = 1 as is_bug,

        -- timestamps
        cast(substr(source.created_at, 1, 19) as timestamp) as created_at,
        cast(substr(source.merged_at, 1, 19) as timestamp) as merged_at,
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
    {{ tpsp.surrogate_key(['firm_id', 'artifact_key']) }} as merge_request_id,
    *
from deduplicated
