with

artifacts as (

    select * from {{ ref('int_shipped_artifacts') }}

),

artifact_tokens as (

    select * from {{ ref('int_artifact_tokens') }}

),

final as (

    select
        artifacts.artifact_id,
        artifacts.firm_id,
        artifacts.team_id,
        artifacts.artifact_key,
        artifacts.kind,
        artifacts.source_kind,
        artifacts.status,
        artifacts.opened_at,
        artifacts.shipped_at,
        artifacts.is_feature,
        artifacts.is_bug,
        artifacts.size,
        artifacts.reopened,
        artifacts.reverted,
        artifacts.is_successful,
        cast(artifacts.cycle_time_hours as double) as cycle_time_hours,
        cast(artifact_tokens.direct_tokens as bigint) as direct_tokens,
        cast(artifact_tokens.attributed_tokens as bigint) as attributed_tokens,
        artifact_tokens.direct_tokens > 0 as is_ai_assisted
    from artifacts
    inner join artifact_tokens
        on artifacts.artifact_id = artifact_tokens.artifact_id

)

select * from final
