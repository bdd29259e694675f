with

source as (

    select * from {{ source('openai_costs', 'line_items') }}

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

        -- cost line: "[<tier> | ]<model>, <billed part>[, long context]"
        cast({{ tpsp.from_unix_seconds('bucket_start_time') }} as date) as cost_date,
        'openai' as provider,
        result.line_item,
        nullif(
            regexp_extract(
                result.line_item, '^(?:(?:batch|flex|priority) [|] )?([^,]+), ', 1
            ),
            ''
        ) as model,
        case
            when
                result.line_item like '%, cached input'
                or result.line_item like '%, cached input, %'
                then 'cache_read'
            when
                result.line_item like '%, input'
                or result.line_item like '%, input, %'
                then 'input'
            when
                result.line_item like '%, output'
                or result.line_item like '%, output, %'
                then 'output'
        end as token_type,
        case
            when result.line_item like 'batch | %' then 'batch'
            when result.line_item like 'flex | %' then 'flex'
            when result.line_item like 'priority | %' then 'priority'
            else 'standard'
        end as service_tier,

        -- amounts: OpenAI reports the currency's unit
        {{ tpsp.fixed_point('result.amount.value') }} as amount_usd,
        upper(result.amount.currency) as currency,

        -- files
        {{ tpsp.landing_export_date('filename') }} as export_date,
        filename as landed_file

    from results

),

deduplicated as (

    {{ tpsp.deduplicate_latest(
        'renamed', ['firm_id', 'cost_date', 'line_item', 'currency']
    ) }}

)

select
    {{ tpsp.surrogate_key(['firm_id', 'cost_date', 'line_item', 'currency']) }} as cost_line_id,
    *
from deduplicated
