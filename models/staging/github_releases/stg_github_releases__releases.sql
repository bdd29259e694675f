with

source as (

    select * from {{ source('github_releases', 'releases') }}

),

renamed as (

    select
        -- ids
        {{ tpsp.landing_firm_id('filename') }} as firm_id,
        artifact_key,
        team_id,

        -- state
        coalesce(draft, false) as is_draft,
        coalesce(prerelease, false) as is_prerelease,
        not coalesce(draft, false) and published_at is not null as is_published,

        -- timestamps
        cast(substr(created_at, 1, 19) as timestamp) as created_at,
        cast(substr(published_at, 1, 19) as timestamp) as published_at,
        {{ tpsp.landing_export_date('filename') }} as export_date,
        filename as landed_file

    from source

),

deduplicated as (

    {{ tpsp.deduplicate_latest('renamed', ['firm_id', 'artifact_key']) }}

)

select
    {{ tpsp.surrogate_key(['firm_id', 'artifact_key']) }} as release_id,
    *
from deduplicated
