with

source as (

    select * from {{ source('openai_usage', 'completions') }}

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
        bucket.start_time as bucket_start_time,
        {{ tpsp.explode('bucket.results') }} as result
    from buckets

),

renamed as (

    select
        -- ids
        {{ tpsp.landing_firm_id('filename') }} as firm_id,
        result.team_id,
        result.project_id,

        -- model
        'openai' as provider,
        result.model,
        coalesce(result.batch, false) as is_batch,

        -- tokens: OpenAI's input_tokens includes the cached ones, ours is uncached only
        result.input_tokens - coalesce(result.input_cached_tokens, 0) as input_tokens,
        result.output_tokens,
        coalesce(result.input_cached_tokens, 0) as cache_read_tokens,
        cast(0 as bigint) as cache_write_tokens,
        result.num_model_requests as requests,

        -- timestamps
        {{ tpsp.from_unix_seconds('bucket_start_time') }} as bucket_started_at,
        {{ tpsp.landing_export_date('filename') }} as export_date,
        filename as landed_file

    from results

),

deduplicated as (

    {{ tpsp.deduplicate_latest(
        'renamed', ['firm_id', 'bucket_started_at', 'model', 'project_id', 'team_id']
    ) }}

)

select
    {{ tpsp.surrogate_key(
        ['firm_id', 'bucket_started_at', 'model', 'project_id', 'team_id']
    ) }} as completion_usage_id,
    *
from deduplicated
