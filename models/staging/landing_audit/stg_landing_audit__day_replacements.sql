with

source as (

    select * from {{ source('landing_audit', 'day_replacements') }}

),

renamed as (

    select
        -- ids
        firm_id,
        source_kind,
        sequence,

        -- what was replaced
        {{ tpsp.array_length("replaced_files") }} as replaced_file_count,
        {{ tpsp.array_length("landed_files") }} as landed_file_count,
        anonymizer_version,

        -- timestamps
        cast(export_date as date) as export_date

    from source
    where firm_id is not null

),

deduplicated as (

    select distinct * from renamed

)

select
    {{ tpsp.surrogate_key(['firm_id', 'sequence']) }} as day_replacement_id,
    *
from deduplicated
