with

source as (

    select * from {{ source('firms', 'firm_profiles') }}

),

renamed as (

    select
        -- ids
        firm_id,

        -- attributes
        size_band,
        industry,
        timezone,
        cast(tco_overhead_multiplier as double) as tco_overhead_multiplier,
        anonymizer_version,
        cast(schema_version as integer) as schema_version

    from source
    where firm_id is not null

),

deduplicated as (

    select distinct * from renamed

)

select * from deduplicated
