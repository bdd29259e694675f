{#-
    Every priced usage source's tokens per token type at the rate that priced them: one row per
    firm × team × day × provider × model × service tier × context-window class × source kind
    × token type, the grain at which vendors bill. Rates come from the model_prices row that
    int_token_usage chose (its price key), so the matching rules live in one place. Usage
    without a price keeps its tokens with a NULL rate and cost.
-#}
{{ config(**tpsp.incremental_by_date('usage_date')) }}

with

token_usage as (

    select * from {{ ref('int_token_usage') }}

),

model_prices as (

    select * from {{ ref('model_prices') }}

),

-- daily-totals firms name no provider or model: nothing a vendor bill could show
provider_usage as (

    select * from token_usage
    where provider is not null

),

rated as (

    select
        provider_usage.*,
        model_prices.input_per_mtok_usd,
        model_prices.output_per_mtok_usd,
        model_prices.cache_read_per_mtok_usd,
        model_prices.cache_write_5m_per_mtok_usd,
        model_prices.cache_write_1h_per_mtok_usd
    from provider_usage
    left join model_prices
        on
            provider_usage.provider = model_prices.provider
            and provider_usage.price_model_pattern = model_prices.model_pattern
            and provider_usage.price_valid_from = model_prices.valid_from
            and coalesce(provider_usage.service_tier, 'standard') = model_prices.service_tier
            and coalesce(provider_usage.context_window_class, '0-200k')
            = model_prices.context_window_class
    -- an incremental run rebuilds only the days of its window
    {%- if is_incremental() %}
    where {{ tpsp.in_incremental_window('provider_usage.usage_date', 'usage_date') }}
    {%- endif %}

),

token_type_lines as (

    {%- for token_type in tpsp.priced_token_types() %}
    select
        firm_id,
        team_id,
        usage_date,
        provider,
        model,
        model_class,
        coalesce(service_tier, 'standard') as service_tier,
        coalesce(context_window_class, '0-200k') as context_window_class,
        source_kind,
        '{{ token_type.token_type }}' as token_type,
        is_priced,
        {{ token_type.rate }} as usd_per_mtok,
        {{ token_type.tokens }} as tokens,
        {{ tpsp.fixed_point(tpsp.token_cost(token_type.tokens, token_type.rate)) }}
            as list_cost_usd
    from rated
    {{ 'union all' if not loop.last }}
    {%- endfor %}

),

final as (

    select
        {{ tpsp.surrogate_key([
            'firm_id', 'team_id', 'usage_date', 'provider', 'model', 'service_tier',
            'context_window_class', 'source_kind', 'token_type'
        ]) }} as token_cost_line_id,
        firm_id,
        team_id,
        usage_date,
        provider,
        model,
        model_class,
        service_tier,
        context_window_class,
        source_kind,
        token_type,
        bool_and(is_priced) as is_priced,
        max(usd_per_mtok) as usd_per_mtok,
        cast(sum(tokens) as bigint) as tokens,
        sum(list_cost_usd) as list_cost_usd
    from token_type_lines
    where tokens > 0
    group by
        firm_id, team_id, usage_date, provider, model, model_class, service_tier,
        context_window_class, source_kind, token_type

)

select * from final
