with

source as (

    select * from {{ source('anthropic_cost_report', 'costs') }}

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

        -- cost line
        cast(substr(bucket_starting_at, 1, 10) as date) as cost_date,
        'anthropic' as provider,
        result.model,
        result.cost_type,
        case result.token_type
            when 'uncached_input_tokens' then 'input'
            when 'output_tokens' then 'output'
            when 'cache_read_input_tokens' then 'cache_read'
            when 'cache_creation.ephemeral_5m_input_tokens' then 'cache_write_5m'
            when 'cache_creation.ephemeral_1h_input_tokens' then 'cache_write_1h'
        end as token_type,
        result.context_window as context_window_class,
        result.service_tier,

        -- amounts: Anthropic reports cents as a decimal string
        {{ tpsp.fixed_point('cast(result.amount as decimal(38, 12)) * 0.01') }} as amount_usd,
        upper(result.currency) as currency,

        -- files
        {{ tpsp.landing_export_date('filename') }} as export_date,
        filename as landed_file

    from results

),

deduplicated as (

    {{ tpsp.deduplicate_latest('renamed', [
        'firm_id', 'cost_date', 'model', 'cost_type', 'token_type',
        'context_window_class', 'service_tier', 'currency'
    ]) }}

)

select
    {{ tpsp.surrogate_key([
        'firm_id', 'cost_date', 'model', 'cost_type', 'token_type',
        'context_window_class', 'service_tier', 'currency'
    ]) }} as cost_line_id,
    *
from deduplicated
