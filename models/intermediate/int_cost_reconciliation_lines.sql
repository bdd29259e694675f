{#-
    tpsp's computed list cost beside the vendor's reported cost, line by line: one row per
    firm × day × provider × model × service tier × context-window class × token type found on
    either side. Computed lines take the report's shape: where a firm's report for a
    provider breaks out no context windows, the computed classes are added together.
-#}
with

computed as (

    select * from {{ ref('int_token_cost_lines') }}

),

vendor as (

    select * from {{ ref('int_vendor_cost_lines') }}

),

report_shapes as (

    select
        firm_id,
        provider,
        max(case when context_window_class is not null then 1 else 0 end)
            as reports_context_window
    from vendor
    group by firm_id, provider

),

-- computed lines in the shape of the firm's report for the provider
shaped as (

    select
        computed.firm_id,
        computed.usage_date as cost_date,
        computed.provider,
        computed.model,
        computed.service_tier,
        computed.token_type,
        computed.tokens,
        computed.is_priced,
        computed.list_cost_usd,
        case
            when coalesce(report_shapes.reports_context_window, 1) = 1
                then computed.context_window_class
        end as context_window_class
    from computed
    left join report_shapes
        on
            computed.firm_id = report_shapes.firm_id
            and computed.provider = report_shapes.provider

),

computed_lines as (

    select
        firm_id,
        cost_date,
        provider,
        model,
        service_tier,
        context_window_class,
        token_type,
        cast(sum(tokens) as bigint) as tokens,
        cast(sum(case when is_priced then 0 else tokens end) as bigint) as unpriced_tokens,
        sum(list_cost_usd) as computed_cost_usd
    from shaped
    group by
        firm_id, cost_date, provider, model, service_tier, context_window_class, token_type

),

joined as (

    select
        computed_lines.tokens,
        computed_lines.unpriced_tokens,
        computed_lines.computed_cost_usd,
        vendor.reported_cost_usd,
        coalesce(computed_lines.firm_id, vendor.firm_id) as firm_id,
        coalesce(computed_lines.cost_date, vendor.cost_date) as cost_date,
        coalesce(computed_lines.provider, vendor.provider) as provider,
        coalesce(computed_lines.model, vendor.model) as model,
        coalesce(computed_lines.service_tier, vendor.service_tier) as service_tier,
        coalesce(computed_lines.context_window_class, vendor.context_window_class)
            as context_window_class,
        coalesce(computed_lines.token_type, vendor.token_type) as token_type
    from computed_lines
    full outer join vendor
        on
            computed_lines.firm_id = vendor.firm_id
            and computed_lines.cost_date = vendor.cost_date
            and computed_lines.provider = vendor.provider
            and computed_lines.model = vendor.model
            and computed_lines.service_tier = vendor.service_tier
            and computed_lines.context_window_class is not distinct from
            vendor.context_window_class
            and computed_lines.token_type = vendor.token_type

),

final as (

    select
        {{ tpsp.surrogate_key([
            'firm_id', 'cost_date', 'provider', 'model', 'service_tier',
            'context_window_class', 'token_type'
        ]) }} as cost_reconciliation_line_id,
        *
    from joined

)

select * from final
