{#-
    Deployments stay deployment records rather than shipped artifacts: a release and the
    deploys that roll it out are one piece of shipped work, counted once (as the release).
    What a deployment adds is its outcome, the basis of a change-failure rate.
-#}
with

deployments as (

    select * from {{ ref('stg_deployments__deployments') }}

),

final as (

    select
        firm_deployment_id as deployment_record_id,
        firm_id,
        team_id,
        deployment_id,
        repository_id,
        environment_class,
        is_production,
        is_transient,
        deployment_status,
        is_success,
        is_failure,
        created_at as deployed_at,
        status_at as finished_at,
        cast(created_at as date) as deployment_date,
        is_production and is_failure as is_change_failure
    from deployments

)

select * from final
