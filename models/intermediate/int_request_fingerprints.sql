{#-
    Per-call usage grouped by a fingerprint of the call's shape (model and token counts):
    people's requests vary, a script replaying one prompt does not.
-#}
with

spans as (

    select * from {{ ref('stg_otel_genai_spans__spans') }}

),

fingerprinted as (

    select
        firm_id,
        team_id,
        {{ tpsp.surrogate_key([
            'model', 'input_tokens', 'output_tokens', 'cache_read_tokens', 'cache_write_tokens'
        ]) }} as fingerprint,
        count(*) as requests
    from spans
    group by
        firm_id,
        team_id,
        {{ tpsp.surrogate_key([
            'model', 'input_tokens', 'output_tokens', 'cache_read_tokens', 'cache_write_tokens'
        ]) }}

),

final as (

    select
        {{ tpsp.surrogate_key(['firm_id', 'team_id', 'fingerprint']) }} as request_fingerprint_id,
        firm_id,
        team_id,
        fingerprint,
        requests
    from fingerprinted

)

select * from final
