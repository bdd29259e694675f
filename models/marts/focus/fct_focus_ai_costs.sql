{#-
    tpsp's AI cost in the FinOps Open Cost and Usage Specification (FOCUS) columns, so a
    FinOps tool can read it beside cloud bills: one charge per firm × team × day × provider ×
    model × service tier × context-window class × token type. tpsp knows list prices only, so
    billed, effective and list cost are the same list cost; negotiated discounts are not in
    the data. Usage without a list price has no cost to state and is left out (it is listed
    in dq_unpriced_usage). Every build writes the table to <exports>/focus/ as Parquet.
    FOCUS names its columns in PascalCase, so the lower-case rule is off for this model.
-#}
-- noqa: disable=CP02
with

cost_lines as (

    select * from {{ ref('int_token_cost_lines') }}

),

charges as (

    select
        firm_id,
        team_id,
        usage_date,
        provider,
        model,
        service_tier,
        context_window_class,
        token_type,
        cast(sum(tokens) as bigint) as tokens,
        max(usd_per_mtok) as usd_per_mtok,
        sum(list_cost_usd) as list_cost_usd
    from cost_lines
    where is_priced
    group by
        firm_id, team_id, usage_date, provider, model, service_tier, context_window_class,
        token_type

),

final as (

    select
        {{ tpsp.surrogate_key([
            'firm_id', 'team_id', 'usage_date', 'provider', 'model', 'service_tier',
            'context_window_class', 'token_type'
        ]) }} as x_ChargeId,
        cast(list_cost_usd as decimal(38, 12)) as BilledCost,
        cast(list_cost_usd as decimal(38, 12)) as EffectiveCost,
        cast(list_cost_usd as decimal(38, 12)) as ListCost,
        cast(usd_per_mtok / 1000000.0 as double) as ListUnitPrice,
        'USD' as BillingCurrency,
        cast(usage_date as timestamp) as ChargePeriodStart,
        cast({{ dbt.dateadd('day', 1, 'usage_date') }} as timestamp) as ChargePeriodEnd,
        cast({{ dbt.date_trunc('month', 'usage_date') }} as timestamp) as BillingPeriodStart,
        cast(
            {{ dbt.dateadd('month', 1, dbt.date_trunc('month', 'usage_date')) }} as timestamp
        ) as BillingPeriodEnd,
        'Usage' as ChargeCategory,
        'Usage-Based' as ChargeFrequency,
        model || ' ' || token_type || ' tokens' as ChargeDescription,
        tokens as ConsumedQuantity,
        'Tokens' as ConsumedUnit,
        tokens as PricingQuantity,
        'Tokens' as PricingUnit,
        case provider
            when 'anthropic' then 'Anthropic'
            when 'openai' then 'OpenAI'
            else provider
        end as ProviderName,
        case provider
            when 'anthropic' then 'Anthropic API'
            when 'openai' then 'OpenAI API'
            else provider || ' API'
        end as ServiceName,
        'AI and Machine Learning' as ServiceCategory,
        'Generative AI' as ServiceSubcategory,
        provider || '/' || model || '/' || service_tier || '/' || context_window_class
        || '/' || token_type as SkuId,
        firm_id as x_FirmId,
        team_id as x_TeamId,
        provider as x_Provider,
        model as x_Model,
        token_type as x_TokenType,
        service_tier as x_ServiceTier,
        context_window_class as x_ContextWindowClass
    from charges

)

select * from final
