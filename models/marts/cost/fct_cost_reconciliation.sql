{#-
    Does tpsp's cost reconcile to the invoice? Per firm × provider × day, the list cost tpsp
    computed from usage beside the cost the vendor's own cost report shows, and why they
    differ when they differ by more than reconciliation_tolerance_share of the reported cost:
      missing_cost_report   usage on a day the firm's cost report for the provider lacks;
      no_cost_report        the firm sends no cost report for the provider at all;
      missing_usage_export  a usage source the firm sends for the provider on other days is
                            absent on this day (a quarantined or late file), or none is there;
      unpriced_model        the vendor billed usage of a model the price seed does not price;
      tier_mismatch         the vendor billed a service tier or context window for which tpsp
                            has no usage of that model and token type, but has it in another;
      unexplained           none of these: a price or a token count is wrong.
-#}
with

lines as (

    select * from {{ ref('int_cost_reconciliation_lines') }}

),

token_usage as (

    select * from {{ ref('int_token_usage') }}

),

usage_kinds as (

    select distinct
        firm_id,
        provider,
        usage_date,
        source_kind
    from token_usage
    where provider is not null

),

firm_kinds as (

    select
        firm_id,
        provider,
        count(distinct source_kind) as source_kinds
    from usage_kinds
    group by firm_id, provider

),

day_kinds as (

    select
        firm_id,
        provider,
        usage_date,
        count(distinct source_kind) as source_kinds
    from usage_kinds
    group by firm_id, provider, usage_date

),

reporting_firms as (

    select distinct
        firm_id,
        provider
    from lines
    where reported_cost_usd is not null

),

-- the model and token type as tpsp used them that day, whatever the tier or window
used_models as (

    select
        firm_id,
        cost_date,
        provider,
        model,
        token_type
    from lines
    where tokens > 0
    group by firm_id, cost_date, provider, model, token_type

),

classified_lines as (

    select
        lines.*,
        coalesce(lines.unpriced_tokens, 0) > 0 and lines.reported_cost_usd > 0 as is_unpriced,
        coalesce(lines.tokens, 0) = 0
        and lines.reported_cost_usd > 0
        and used_models.model is not null as is_tier_mismatch
    from lines
    left join used_models
        on
            lines.firm_id = used_models.firm_id
            and lines.cost_date = used_models.cost_date
            and lines.provider = used_models.provider
            and lines.model = used_models.model
            and lines.token_type = used_models.token_type

),

days as (

    select
        firm_id,
        provider,
        cost_date,
        cast(sum(tokens) as bigint) as tokens,
        sum(computed_cost_usd) as computed_cost_usd,
        sum(reported_cost_usd) as reported_cost_usd,
        sum(case when is_unpriced then reported_cost_usd end) as reported_unpriced_cost_usd,
        sum(case when is_tier_mismatch then reported_cost_usd end) as tier_mismatch_cost_usd
    from classified_lines
    group by firm_id, provider, cost_date

),

compared as (

    select
        days.*,
        reporting_firms.firm_id is not null as firm_reports_provider,
        coalesce(day_kinds.source_kinds, 0) as usage_source_kinds,
        coalesce(firm_kinds.source_kinds, 0) as firm_usage_source_kinds,
        coalesce(days.computed_cost_usd, 0) - days.reported_cost_usd as difference_usd,
        {{ tpsp.safe_divide(
            'coalesce(days.computed_cost_usd, 0) - days.reported_cost_usd',
            'days.reported_cost_usd'
        ) }} as relative_difference
    from days
    left join reporting_firms
        on
            days.firm_id = reporting_firms.firm_id
            and days.provider = reporting_firms.provider
    left join day_kinds
        on
            days.firm_id = day_kinds.firm_id
            and days.provider = day_kinds.provider
            and days.cost_date = day_kinds.usage_date
    left join firm_kinds
        on
            days.firm_id = firm_kinds.firm_id
            and days.provider = firm_kinds.provider

),

final as (

    select
        {{ tpsp.surrogate_key(['firm_id', 'provider', 'cost_date']) }}
            as cost_reconciliation_id,
        firm_id,
        provider,
        cast(cost_date as date) as cost_date,
        cast({{ dbt.date_trunc('month', 'cost_date') }} as date) as cost_month,
        tokens,
        cast(computed_cost_usd as decimal(38, 12)) as computed_cost_usd,
        cast(reported_cost_usd as decimal(38, 12)) as reported_cost_usd,
        cast(coalesce(reported_unpriced_cost_usd, 0) as decimal(38, 12))
            as reported_unpriced_cost_usd,
        cast(difference_usd as decimal(38, 12)) as difference_usd,
        cast(relative_difference as double) as relative_difference,
        cast(usage_source_kinds as integer) as usage_source_kinds,
        case
            when not firm_reports_provider then 'no_cost_report'
            when reported_cost_usd is null then 'missing_cost_report'
            when
                abs(difference_usd)
                <= {{ var('reconciliation_tolerance_share') }} * abs(reported_cost_usd)
                then null
            when usage_source_kinds < firm_usage_source_kinds then 'missing_usage_export'
            when coalesce(reported_unpriced_cost_usd, 0) > 0 then 'unpriced_model'
            when coalesce(tier_mismatch_cost_usd, 0) > 0 then 'tier_mismatch'
            else 'unexplained'
        end as reason
    from compared

)

select * from final
