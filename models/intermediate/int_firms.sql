with

firm_profiles as (

    select * from {{ ref('stg_firms__firm_profiles') }}

),

token_usage as (

    select * from {{ ref('int_token_usage') }}

),

activity as (

    select
        firm_id,
        count(distinct team_id) as teams_with_usage,
        min(usage_date) as first_usage_date,
        max(usage_date) as last_usage_date
    from token_usage
    group by firm_id

),

final as (

    select
        firm_profiles.firm_id,
        firm_profiles.size_band,
        firm_profiles.industry,
        firm_profiles.timezone,
        firm_profiles.tco_overhead_multiplier,
        firm_profiles.anonymizer_version,
        firm_profiles.schema_version,
        activity.first_usage_date,
        activity.last_usage_date,
        coalesce(activity.teams_with_usage, 0) as teams_with_usage
    from firm_profiles
    left join activity
        on firm_profiles.firm_id = activity.firm_id

)

select * from final
