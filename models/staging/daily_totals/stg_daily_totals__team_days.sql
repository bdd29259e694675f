with

source as (

    select * from {{ source('daily_totals', 'team_days') }}

),

renamed as (

    select
        -- ids
        {{ tpsp.landing_firm_id('filename') }} as firm_id,
        team as team_id,
        lower(model_class) as model_class,

        -- tokens (the export does not split them by type)
        tokens_consumed as total_tokens,

        -- delivery
        completed_tasks,
        shipped_artifacts,
        cycle_time_hours,
        defect_count,

        -- timestamps
        cast(date as date) as usage_date,
        {{ tpsp.landing_export_date('filename') }} as export_date,
        filename as landed_file

    from source

),

deduplicated as (

    {{ tpsp.deduplicate_latest('renamed', ['firm_id', 'usage_date', 'team_id', 'model_class']) }}

)

select
    {{ tpsp.surrogate_key(['firm_id', 'usage_date', 'team_id', 'model_class']) }}
        as team_day_id,
    *
from deduplicated
