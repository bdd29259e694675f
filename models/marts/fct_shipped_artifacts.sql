with

artifacts as (

    select * from {{ ref('int_shipped_artifacts') }}

),

attribution as (

    select * from {{ ref('int_token_attribution') }}

),

artifact_tokens as (

    select
        firm_id,
        artifact_key,
        sum(case when method = 'direct_key' then attributed_tokens else 0 end) as direct_tokens,
        sum(attributed_tokens) as attributed_tokens
    from attribution
    where artifact_key is not null
    group by firm_id, artifact_key

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
        cast(coalesce(artifact_tokens.direct_tokens, 0) as bigint) as direct_tokens,
        cast(coalesce(artifact_tokens.attributed_tokens, 0) as bigint) as attributed_tokens
    from artifacts
    left join artifact_tokens
        on
            artifacts.firm_id = artifact_tokens.firm_id
            and artifacts.artifact_key = artifact_tokens.artifact_key

)

select * from final
