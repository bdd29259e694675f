with

source as (

    select * from {{ source('deployments', 'deployments') }}

),

renamed as (

    select
        -- ids
        {{ tpsp.landing_firm_id('filename') }} as firm_id,
        deployment_id,
        team_id,
        repository as repository_id,

        -- environment and outcome
        environment as environment_class,
        environment = 'production' as is_production,
        coalesce(transient_environment, false) as is_transient,
        status as deployment_status,
        coalesce(status = 'success', false) as is_success,
        coalesce(status in ('failure', 'error'), false) as is_failure,

        -- timestamps
        cast(substr(created_at, 1, 19) as timestamp) as created_at,
        cast(substr(status_at, 1, 19) as timestamp) as status_at,
        {{ tpsp.landing_export_date('filename') }} as export_date,
        filename as landed_file

    from source

),

deduplicated as (

    {{ tpsp.deduplicate_latest('renamed', ['firm_id', 'deployment_id']) }}

)

select
    {{ tpsp.surrogate_key(['firm_id', 'deployment_id']) }} as firm_deployment_id,
    *
from deduplicated
