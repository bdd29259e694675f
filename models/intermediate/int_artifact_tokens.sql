with

artifacts as (

    select * from {{ ref('int_shipped_artifacts') }}

),

attribution as (

    select * from {{ ref('int_token_attribution') }}

),

tokens_by_artifact as (

    select
        firm_id,
        artifact_key,
        sum(case when method = 'direct_key' then attributed_tokens else 0 end) as direct_tokens,
        sum(case when method = 'team_window' then attributed_tokens else 0 end)
            as team_window_tokens,
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
        artifacts.status,
        artifacts.is_feature,
        artifacts.is_bug,
        artifacts.opened_at,
        artifacts.shipped_at,
        coalesce(tokens_by_artifact.direct_tokens, 0) as direct_tokens,
        coalesce(tokens_by_artifact.team_window_tokens, 0) as team_window_tokens,
        coalesce(tokens_by_artifact.attributed_tokens, 0) as attributed_tokens
    from artifacts
    left join tokens_by_artifact
        on
            artifacts.firm_id = tokens_by_artifact.firm_id
            and artifacts.artifact_key = tokens_by_artifact.artifact_key

)

select * from final
