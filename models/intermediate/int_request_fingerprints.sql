{#-
    Per-call usage grouped by a fingerprint of the call's shape (model and token counts), per
    day: people's requests vary, a script replaying one prompt does not. Counted per day so
    that the model is incremental like the calls it reads; a script replays its prompt many
    times a day.
-#}
{{ config(**tpsp.incremental_by_date('usage_date')) }}

with

spans as (

    select * from {{ ref('stg_otel_genai_spans__spans') }}
    {%- if is_incremental() %}
    -- an incremental run rebuilds only the days of its window
    where {{ tpsp.in_incremental_window('cast(started_at as date)', 'usage_date') }}
    {%- endif %}

),

fingerprinted as (

    select
        firm_id,
        team_id,
        cast(started_at as date) as usage_date,
        {{ tpsp.surrogate_key([
            'model', 'input_tokens', 'output_tokens', 'cache_read_tokens', 'cache_write_tokens'
        ]) }} as fingerprint,
        count(*) as requests
    from spans
    group by
        firm_id,
        team_id,
        cast(started_at as date),
        {{ tpsp.surrogate_key([
            'model', 'input_tokens', 'output_tokens', 'cache_read_tokens', 'cache_write_tokens'
        ]) }}

),

final as (

    select
        {{ tpsp.surrogate_key(['firm_id', 'team_id', 'usage_date', 'fingerprint']) }}
            as request_fingerprint_id,
        firm_id,
        team_id,
        usage_date,
        fingerprint,
        requests
    from fingerprinted

)

select * from final
