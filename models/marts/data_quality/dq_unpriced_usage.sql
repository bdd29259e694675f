{#-
    Usage whose model has no list price on its date: its cost stays NULL (never 0) and it is
    listed here, so that the price seed can be completed.
-#}
with

token_usage as (

    select * from {{ ref('int_token_usage') }}

),

final as (

    select
        {{ tpsp.surrogate_key(['firm_id', 'source_kind', 'provider', 'model', 'model_class']) }}
            as unpriced_usage_id,
        firm_id,
        source_kind,
        provider,
        model,
        model_class,
        cast(min(usage_date) as date) as first_date,
        cast(max(usage_date) as date) as last_date,
        cast(sum(total_tokens) as bigint) as total_tokens,
        cast(count(*) as bigint) as usage_rows
    from token_usage
    where not is_priced
    group by firm_id, source_kind, provider, model, model_class

)

select * from final
