{{ config(**tpsp.incremental_by_date('export_date')) }}

with

source as (

    select * from {{ source('litellm_spend', 'team_hours') }}

),

{%- if is_incremental() %}

-- an incremental run reads only the landing days of its window
windowed as (

    select * from source
    where {{ tpsp.in_incremental_window(
        tpsp.landing_export_day('filename'), 'export_date', as_text=true
    ) }}

),
{%- endif %}

renamed as (

    select
        -- ids
        {{ tpsp.landing_firm_id('filename') }} as firm_id,
        team_id,

        -- model
        lower(custom_llm_provider) as provider,
        model,
        lower(status) as request_status,
        coalesce(cache_hit, false) as is_proxy_cache_hit,
        lower(workflow_tag) as workflow_tag,

        -- tokens: LiteLLM's prompt_tokens include cache reads (OpenAI's convention, applied
        -- to Anthropic too); cache creation stays outside it
        prompt_tokens - coalesce(cache_read_input_tokens, 0) as input_tokens,
        completion_tokens as output_tokens,
        coalesce(cache_read_input_tokens, 0) as cache_read_tokens,
        coalesce(cache_creation_input_tokens, 0) as cache_write_tokens,
        requests,
        max_request_tokens,

        -- cost as LiteLLM reports it
        spend as reported_cost_usd,

        -- timestamps
        cast(substr(startTime, 1, 19) as timestamp) as usage_hour,
        {{ tpsp.landing_export_date('filename') }} as export_date,
        filename as landed_file

    from {{ 'windowed' if is_incremental() else 'source' }}

),

deduplicated as (

    {{ tpsp.deduplicate_latest('renamed', [
        'firm_id', 'usage_hour', 'team_id', 'provider', 'model', 'request_status',
        'is_proxy_cache_hit', 'workflow_tag'
    ]) }}

)

select
    {{ tpsp.surrogate_key([
        'firm_id', 'usage_hour', 'team_id', 'provider', 'model', 'request_status',
        'is_proxy_cache_hit', 'workflow_tag'
    ]) }} as team_hour_id,
    *
from deduplicated
