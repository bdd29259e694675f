with

token_usage as (

    select * from {{ ref('int_token_usage') }}

),

attribution as (

    select * from {{ ref('int_token_attribution') }}

),

delivery as (

    select * from {{ ref('int_team_delivery_monthly') }}

),

usage_months as (

    select
        firm_id,
        team_id,
        cast({{ dbt.date_trunc('month', 'usage_date') }} as date) as month,
        sum(input_tokens) as input_tokens,
        sum(output_tokens) as output_tokens,
        sum(cache_read_tokens) as cache_read_tokens,
        sum(cache_write_tokens) as cache_write_tokens,
        sum(total_tokens) as total_tokens,
        sum(case when is_priced then 0 else total_tokens end) as unpriced_tokens,
        sum(list_cost_usd) as list_cost_usd,
        sum(tco_cost_usd) as tco_cost_usd
    from token_usage
    group by firm_id, team_id, cast({{ dbt.date_trunc('month', 'usage_date') }} as date)

),

attribution_months as (

    select
        firm_id,
        team_id,
        cast({{ dbt.date_trunc('month', 'usage_date') }} as date) as month,
        sum(case when method = 'direct_key' then attributed_tokens else 0 end)
            as direct_key_tokens,
        sum(case when method = 'team_window' then attributed_tokens else 0 end)
            as team_window_tokens,
        sum(case when method = 'unattributed' then attributed_tokens else 0 end)
            as unattributed_tokens
    from attribution
    group by firm_id, team_id, cast({{ dbt.date_trunc('month', 'usage_date') }} as date)

),

team_months as (

    select
        firm_id,
        team_id,
        month
    from usage_months
    union
    select
        firm_id,
        team_id,
        month
    from delivery

),

joined as (

    select
        team_months.firm_id,
        team_months.team_id,
        team_months.month,
        delivery.cycle_time_hours,
        delivery.cycle_time_p90_hours,
        delivery.shipped_features,
        delivery.feature_tokens,
        delivery.ai_assisted_merged_prs,
        delivery.ai_assisted_pr_tokens,
        delivery.cycle_time_hours_ai_assisted,
        delivery.cycle_time_hours_unassisted,
        coalesce(usage_months.input_tokens, 0) as input_tokens,
        coalesce(usage_months.output_tokens, 0) as output_tokens,
        coalesce(usage_months.cache_read_tokens, 0) as cache_read_tokens,
        coalesce(usage_months.cache_write_tokens, 0) as cache_write_tokens,
        coalesce(usage_months.total_tokens, 0) as total_tokens,
        coalesce(attribution_months.direct_key_tokens, 0)
        + coalesce(attribution_months.team_window_tokens, 0) as attributed_tokens,
        coalesce(attribution_months.direct_key_tokens, 0) as direct_key_tokens,
        coalesce(attribution_months.team_window_tokens, 0) as team_window_tokens,
        coalesce(attribution_months.unattributed_tokens, 0) as unattributed_tokens,
        coalesce(delivery.merged_prs, 0) as merged_prs,
        coalesce(delivery.completed_tasks, 0) as completed_tasks,
        coalesce(delivery.successful_tasks, 0) as successful_tasks,
        coalesce(delivery.shipped_artifacts, 0) as shipped_artifacts,
        coalesce(delivery.bugs_opened, 0) as bugs_opened,
        -- a cost is only as good as its least known price: NULL, never a partial sum; a
        -- team-month without any token usage spent nothing, which is a known 0
        case
            when usage_months.firm_id is null then 0
            when usage_months.unpriced_tokens = 0 then usage_months.list_cost_usd
        end as list_cost_usd,
        case
            when usage_months.firm_id is null then 0
            when usage_months.unpriced_tokens = 0 then usage_months.tco_cost_usd
        end as tco_cost_usd
    from team_months
    left join usage_months
        on
            team_months.firm_id = usage_months.firm_id
            and team_months.team_id = usage_months.team_id
            and team_months.month = usage_months.month
    left join attribution_months
        on
            team_months.firm_id = attribution_months.firm_id
            and team_months.team_id = attribution_months.team_id
            and team_months.month = attribution_months.month
    left join delivery
        on
            team_months.firm_id = delivery.firm_id
            and team_months.team_id = delivery.team_id
            and team_months.month = delivery.month

),

final as (

    select
        {{ tpsp.surrogate_key(['firm_id', 'team_id', 'month']) }} as firm_team_month_id,
        firm_id,
        team_id,
        month,
        cast(input_tokens as bigint) as input_tokens,
        cast(output_tokens as bigint) as output_tokens,
        cast(cache_read_tokens as bigint) as cache_read_tokens,
        cast(cache_write_tokens as bigint) as cache_write_tokens,
        cast(total_tokens as bigint) as total_tokens,
        cast(attributed_tokens as bigint) as attributed_tokens,
        cast(direct_key_tokens as bigint) as direct_key_tokens,
        cast(team_window_tokens as bigint) as team_window_tokens,
        cast(unattributed_tokens as bigint) as unattributed_tokens,
        cast(merged_prs as bigint) as merged_prs,
        cast(completed_tasks as bigint) as completed_tasks,
        cast(successful_tasks as bigint) as successful_tasks,
        cast(shipped_artifacts as bigint) as shipped_artifacts,
        cast(shipped_features as bigint) as shipped_features,
        cast(feature_tokens as bigint) as feature_tokens,
        cast(bugs_opened as bigint) as bugs_opened,
        cast(list_cost_usd as double) as list_cost_usd,
        cast(tco_cost_usd as double) as tco_cost_usd,
        {{ tpsp.safe_divide('attributed_tokens', 'merged_prs') }} as tokens_per_merged_pr,
        {{ tpsp.safe_divide('attributed_tokens', 'completed_tasks') }}
            as tokens_per_completed_task,
        {{ tpsp.safe_divide('tco_cost_usd', 'successful_tasks') }} as cost_per_successful_task,
        {{ tpsp.safe_divide('feature_tokens', 'shipped_features') }}
            as tokens_per_shipped_feature,
        cast(cycle_time_hours as double) as cycle_time_hours,
        cast(cycle_time_p90_hours as double) as cycle_time_p90_hours,
        {{ tpsp.safe_divide('cache_read_tokens', 'input_tokens + cache_read_tokens') }}
            as cache_hit_ratio,
        {{ tpsp.safe_divide('attributed_tokens', 'total_tokens') }} as attribution_coverage,
        {{ tpsp.safe_divide('bugs_opened', 'shipped_artifacts') }} as defect_rate,
        {{ tpsp.safe_divide('shipped_artifacts * 1000000', 'total_tokens') }}
            as shipped_per_million_tokens,
        -- AI-assisted and unassisted pull requests of the same team and month, side by side
        cast(ai_assisted_merged_prs as bigint) as ai_assisted_merged_prs,
        cast(merged_prs - ai_assisted_merged_prs as bigint) as unassisted_merged_prs,
        {{ tpsp.safe_divide('ai_assisted_pr_tokens', 'ai_assisted_merged_prs') }}
            as direct_tokens_per_ai_assisted_pr,
        cast(cycle_time_hours_ai_assisted as double) as cycle_time_hours_ai_assisted,
        cast(cycle_time_hours_unassisted as double) as cycle_time_hours_unassisted
    from joined

)

select * from final
