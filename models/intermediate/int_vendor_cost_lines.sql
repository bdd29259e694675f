{#-
    What the vendors billed, from their own cost reports, in one shape: one row per firm ×
    day × provider × model × service tier × context-window class × token type. Cost that is
    not for tokens (web search, code execution, ...) keeps a NULL token type. A report that
    does not break out context windows (OpenAI's) leaves the class NULL.
-#}
with

anthropic_costs as (

    select * from {{ ref('stg_anthropic_cost_report__costs') }}

),

openai_line_items as (

    select * from {{ ref('stg_openai_costs__line_items') }}

),

unioned as (

    select
        firm_id,
        cost_date,
        provider,
        model,
        coalesce(service_tier, 'standard') as service_tier,
        context_window_class,
        token_type,
        amount_usd
    from anthropic_costs

    union all

    select
        firm_id,
        cost_date,
        provider,
        model,
        coalesce(service_tier, 'standard') as service_tier,
        cast(null as {{ dbt.type_string() }}) as context_window_class,
        token_type,
        amount_usd
    from openai_line_items

),

final as (

    select
        {{ tpsp.surrogate_key([
            'firm_id', 'cost_date', 'provider', 'model', 'service_tier',
            'context_window_class', 'token_type'
        ]) }} as vendor_cost_line_id,
        firm_id,
        cost_date,
        provider,
        model,
        service_tier,
        context_window_class,
        token_type,
        sum(amount_usd) as reported_cost_usd
    from unioned
    group by
        firm_id, cost_date, provider, model, service_tier, context_window_class, token_type

)

select * from final
