with

source as (

    select * from {{ source('anthropic_usage', 'messages') }}

),

buckets as (

    select
        filename,
        {{ tpsp.explode('data') }} as bucket
    from source

),

results as (

    select
        filename,
        bucket.starting_at as bucket_starting_at,
        {{ tpsp.explode('bucket.results') }} as result
    from buckets

),

renamed as (

    select
        -- ids
        {{ tpsp.landing_firm_id('filename') }} as firm_id,
        result.team_id,
        result.workspace_id,

        -- model
        'anthropic' as provider,
        result.model,
        result.context_window as context_window_class,
        result.service_tier,

        -- tokens: Anthropic's uncached_input_tokens already excludes cache reads and writes
        result.uncached_input_tokens as input_tokens,
        result.output_tokens,
        coalesce(result.cache_read_input_tokens, 0) as cache_read_tokens,
        coalesce(result.cache_creation.ephemeral_5m_input_tokens, 0)
        + coalesce(result.cache_creation.ephemeral_1h_input_tokens, 0) as cache_write_tokens,
        coalesce(result.cache_creation.ephemeral_1h_input_tokens, 0) as cache_write_1h_tokens,

        -- timestamps
        cast(substr(bucket_starting_at, 1, 19) as timestamp) as bucket_started_at,
        {{ tpsp.landing_export_date('filename') }} as export_date,
        filename as landed_file

    from results

),

deduplicated as (

    {{ tpsp.deduplicate_latest('renamed', [
        'firm_id', 'bucket_started_at', 'model', 'workspace_id',
        'context_window_class', 'service_tier', 'team_id'
    ]) }}

)

select
    {{ tpsp.surrogate_key([
        'firm_id', 'bucket_started_at', 'model', 'workspace_id',
        'context_window_class', 'service_tier', 'team_id'
    ]) }} as message_usage_id,
    *
from deduplicated
