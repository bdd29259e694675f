{#-
    Usage without a list price for its model, service tier, context-window class and date:
    its cost stays NULL (never 0) and it is listed here with the reason, so that the price
    seed can be completed.
-#}
with

token_usage as (

    select * from {{ ref('int_token_usage') }}

),

model_prices as (

    select * from {{ ref('model_prices') }}

),

unpriced as (

    select
        firm_id,
        source_kind,
        provider,
        model,
        model_class,
        cast(min(usage_date) as date) as first_date,
        cast(max(usage_date) as date) as last_date,
        cast(sum(total_tokens) as bigint) as total_tokens,
        cast(count(*) as bigint) as usage_rows,
        coalesce(service_tier, 'standard') as service_tier,
        coalesce(context_window_class, '0-200k') as context_window_class
    from token_usage
    where not is_priced
    group by
        firm_id, source_kind, provider, model, model_class,
        coalesce(service_tier, 'standard'), coalesce(context_window_class, '0-200k')

),

-- what the seed does list for the model, to tell a missing model from a missing tier
listed as (

    select
        unpriced.firm_id,
        unpriced.source_kind,
        unpriced.provider,
        unpriced.model,
        unpriced.service_tier,
        unpriced.context_window_class,
        count(model_prices.model_pattern) as model_rows,
        sum(case
            when
                model_prices.service_tier = unpriced.service_tier
                and model_prices.context_window_class = unpriced.context_window_class
                then 1
            else 0
        end) as tier_rows
    from unpriced
    left join model_prices
        on
            unpriced.provider = model_prices.provider
            and lower(unpriced.model) like model_prices.model_pattern || '%'
    group by
        unpriced.firm_id, unpriced.source_kind, unpriced.provider, unpriced.model,
        unpriced.service_tier, unpriced.context_window_class

),

final as (

    select
        {{ tpsp.surrogate_key([
            'unpriced.firm_id', 'unpriced.source_kind', 'unpriced.provider', 'unpriced.model',
            'unpriced.model_class', 'unpriced.service_tier', 'unpriced.context_window_class'
        ]) }} as unpriced_usage_id,
        unpriced.firm_id,
        unpriced.source_kind,
        unpriced.provider,
        unpriced.model,
        unpriced.model_class,
        unpriced.service_tier,
        unpriced.context_window_class,
        case
            when unpriced.model is null then 'no_model_named'
            when listed.model_rows = 0 then 'unknown_model'
            when listed.tier_rows = 0 then 'tier_not_listed'
            else 'not_priced_on_date'
        end as unpriced_reason,
        unpriced.first_date,
        unpriced.last_date,
        unpriced.total_tokens,
        unpriced.usage_rows
    from unpriced
    left join listed
        on
            unpriced.firm_id = listed.firm_id
            and unpriced.source_kind = listed.source_kind
            and unpriced.provider is not distinct from listed.provider
            and unpriced.model is not distinct from listed.model
            and unpriced.service_tier = listed.service_tier
            and unpriced.context_window_class = listed.context_window_class

)

select * from final
