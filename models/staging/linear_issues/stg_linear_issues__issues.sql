with

source as (

    select * from {{ source('linear_issues', 'issues') }}

),

renamed as (

    select
        -- ids
        {{ tpsp.landing_firm_id('filename') }} as firm_id,
        id as artifact_key,
        team_id,

        -- classification
        status as status_name,
        priority,
        ',' || coalesce(labels, '') || ',' like '%,bug,%' as is_bug,
        ',' || coalesce(labels, '') || ',' like '%,feature,%'
        or ',' || coalesce(labels, '') || ',' like '%,improvement,%' as is_feature,
        completed is not null and canceled is null as is_completed,
        canceled is not null or status in ('Canceled', 'Duplicate') as is_cancelled,

        -- size
        estimate as story_points,

        -- timestamps
        cast(substr(created, 1, 19) as timestamp) as created_at,
        cast(substr(started, 1, 19) as timestamp) as started_at,
        cast(substr(completed, 1, 19) as timestamp) as completed_at,
        cast(substr(canceled, 1, 19) as timestamp) as canceled_at,
        {{ tpsp.landing_export_date('filename') }} as export_date,
        filename as landed_file

    from source

),

deduplicated as (

    {{ tpsp.deduplicate_latest('renamed', ['firm_id', 'artifact_key']) }}

)

select
    {{ tpsp.surrogate_key(['firm_id', 'artifact_key']) }} as issue_id,
    *
from deduplicated
