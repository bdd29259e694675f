-- The limit: fct_firm_efficiency of a benchmark landing (OTel GenAI spans and GitHub pull
-- requests, bench/landing.py) in one DuckDB statement straight from the landed files, with
-- the same rules as the dbt models it stands for: deduplication on the natural key, hourly
-- roll-up, most specific price, fixed-point costs, direct-key and team-window attribution
-- with whole-token remainders, monthly delivery. No tests, no intermediate tables.
-- Run with `set variable landing = '<landing folder>'; set variable seeds = '<seeds folder>';`
-- after the table macro landed_spans() of the landing's format (limit_spans_<format>.sql).

create or replace table limit_fct_firm_efficiency as

with

span_lines as (
    select
        filename,
        unnest(resourceSpans) as resource_span
    from landed_spans()
),

spans as (
    select
        filename,
        resource_span.resource.attributes as resource_attributes,
        unnest(scope_span.spans) as span
    from (select filename, resource_span, unnest(resource_span.scopeSpans) as scope_span
        from span_lines)
),

span_values as (
    select
        regexp_extract(filename, '([^/]+)/[^/]+/[0-9-]{10}/[^/]+$', 1) as firm_id,
        filename,
        span.spanId as span_id,
        map_from_entries(
            [(attribute.key, attribute.value) for attribute in span.attributes]
        ) as attributes,
        make_timestamp(cast(span.startTimeUnixNano as bigint) // 1000) as started_at
    from spans
),

calls as (
    select
        firm_id,
        attributes['tpsp.team_id'].stringValue as team_id,
        attributes['tpsp.artifact_key'].stringValue as artifact_key,
        lower(attributes['gen_ai.provider.name'].stringValue) as provider,
        coalesce(
            attributes['gen_ai.response.model'].stringValue,
            attributes['gen_ai.request.model'].stringValue
        ) as model,
        cast(attributes['gen_ai.usage.input_tokens'].intValue as bigint)
        - coalesce(cast(attributes['gen_ai.usage.cache_read.input_tokens'].intValue as bigint), 0)
        - coalesce(
            cast(attributes['gen_ai.usage.cache_creation.input_tokens'].intValue as bigint), 0
        ) as input_tokens,
        cast(attributes['gen_ai.usage.output_tokens'].intValue as bigint) as output_tokens,
        coalesce(cast(attributes['gen_ai.usage.cache_read.input_tokens'].intValue as bigint), 0)
            as cache_read_tokens,
        coalesce(
            cast(attributes['gen_ai.usage.cache_creation.input_tokens'].intValue as bigint), 0
        ) as cache_write_tokens,
        date_trunc('hour', started_at) as usage_at
    from span_values
    qualify filename = max(filename) over (partition by firm_id, span_id)
),

hours as (
    select
        firm_id, team_id, usage_at, provider, model, artifact_key,
        case
            when input_tokens + cache_read_tokens + cache_write_tokens > 200000 then '200k-1M'
            else '0-200k'
        end as context_window_class,
        sum(input_tokens) as input_tokens,
        sum(output_tokens) as output_tokens,
        sum(cache_read_tokens) as cache_read_tokens,
        sum(cache_write_tokens) as cache_write_tokens
    from calls
    group by all
),

prices as (
    select * from read_csv(
        getvariable('seeds') || '/model_prices.csv',
        header = true, types = {'valid_from': 'DATE', 'valid_to': 'DATE'}
    )
),

firms as (
    select
        regexp_extract(filename, '([^/]+)/firm.json$', 1) as firm_id,
        tco_overhead_multiplier
    from read_json(getvariable('landing') || '/*/firm.json', filename = true)
),

priced as (
    select
        hours.*,
        cast(usage_at as date) as usage_date,
        prices.model_class is not null as is_priced,
        input_tokens + output_tokens + cache_read_tokens + cache_write_tokens as total_tokens,
        cast((
            input_tokens * prices.input_per_mtok_usd
            + output_tokens * prices.output_per_mtok_usd
            + cache_read_tokens * prices.cache_read_per_mtok_usd
            + cache_write_tokens * prices.cache_write_5m_per_mtok_usd
        ) / 1000000.0 as decimal(38, 12)) as list_cost_usd,
        cast((
            input_tokens * prices.input_per_mtok_usd
            + output_tokens * prices.output_per_mtok_usd
            + cache_read_tokens * prices.cache_read_per_mtok_usd
            + cache_write_tokens * prices.cache_write_5m_per_mtok_usd
        ) / 1000000.0 * firms.tco_overhead_multiplier as decimal(38, 12)) as tco_cost_usd
    from hours
    left join lateral (
        select * from prices
        where
            hours.provider = prices.provider
            and lower(hours.model) like prices.model_pattern || '%'
            and prices.service_tier = 'standard'
            and prices.context_window_class = hours.context_window_class
            and cast(hours.usage_at as date) >= prices.valid_from
            and (prices.valid_to is null or cast(hours.usage_at as date) <= prices.valid_to)
        order by length(prices.model_pattern) desc, prices.valid_from desc
        limit 1
    ) as prices on true
    left join firms on hours.firm_id = firms.firm_id
),

pulls as (
    select
        regexp_extract(filename, '([^/]+)/[^/]+/[0-9-]{10}/[^/]+$', 1) as firm_id,
        filename,
        artifact_key,
        team_id,
        coalesce(draft, false) as is_draft,
        merged_at is not null as is_merged,
        list_has_any([label.name for label in labels], ['feature', 'enhancement']) as is_feature,
        coalesce(additions, 0) + coalesce(deletions, 0) as lines_changed,
        cast(substr(created_at, 1, 19) as timestamp) as opened_at,
        cast(substr(merged_at, 1, 19) as timestamp) as merged_at,
        cast(substr(coalesce(merged_at, closed_at), 1, 19) as timestamp) as ended_at
    from read_json(
        getvariable('landing') || '/*/github_pulls/*/*.json', format = 'array', filename = true,
        columns = {
            'artifact_key': 'varchar', 'state': 'varchar', 'created_at': 'varchar',
            'closed_at': 'varchar', 'merged_at': 'varchar', 'draft': 'boolean',
            'labels': 'struct("name" varchar)[]', 'additions': 'bigint', 'deletions': 'bigint',
            'team_id': 'varchar'
        }
    )
    qualify filename = max(filename) over (partition by firm_id, artifact_key)
),

artifacts as (
    select
        *,
        case when lines_changed < 1 then 1.0 else cast(lines_changed as double) end as weight
    from pulls
    where not is_draft or is_merged
),

usage_days as (
    select
        priced.firm_id, priced.team_id, priced.usage_date, priced.artifact_key,
        sum(priced.total_tokens) as tokens,
        bool_or(artifacts.artifact_key is not null) as is_direct
    from priced
    left join artifacts
        on priced.firm_id = artifacts.firm_id and priced.artifact_key = artifacts.artifact_key
    group by all
),

pooled as (
    select firm_id, team_id, usage_date, sum(tokens) as tokens
    from usage_days
    where not is_direct
    group by all
),

weighted as (
    select
        pooled.*,
        artifacts.artifact_key,
        artifacts.weight,
        sum(artifacts.weight) over team_day as total_weight,
        row_number() over (team_day order by artifacts.weight desc, artifacts.artifact_key)
            as weight_rank
    from pooled
    inner join artifacts
        on
            pooled.firm_id = artifacts.firm_id
            and pooled.team_id = artifacts.team_id
            and cast(artifacts.opened_at as date) <= pooled.usage_date
            and (artifacts.ended_at is null or cast(artifacts.ended_at as date) >= pooled.usage_date)
    window team_day as (partition by pooled.firm_id, pooled.team_id, pooled.usage_date)
),

team_window as (
    select
        firm_id, team_id, usage_date, artifact_key,
        floored + case when weight_rank = 1 then tokens - sum(floored) over (
            partition by firm_id, team_id, usage_date
        ) else 0 end as attributed_tokens
    from (select *, cast(floor(tokens * weight / total_weight) as bigint) as floored
        from weighted)
),

attribution as (
    select firm_id, team_id, usage_date, artifact_key, 'direct_key' as method, tokens
    from usage_days where is_direct
    union all
    select firm_id, team_id, usage_date, artifact_key, 'team_window', attributed_tokens
    from team_window
    union all
    select firm_id, team_id, usage_date, null, 'unattributed', tokens
    from pooled
    where not exists (
        select 1 from team_window
        where
            team_window.firm_id = pooled.firm_id and team_window.team_id = pooled.team_id
            and team_window.usage_date = pooled.usage_date
    )
),

artifact_tokens as (
    select firm_id, artifact_key, sum(tokens) as attributed_tokens
    from attribution
    where artifact_key is not null
    group by all
),

delivery as (
    select
        artifacts.firm_id,
        artifacts.team_id,
        cast(date_trunc('month', artifacts.merged_at) as date) as month,
        count(*) as merged_prs,
        sum(case when artifacts.is_feature then 1 else 0 end) as shipped_features,
        sum(case when artifacts.is_feature then coalesce(artifact_tokens.attributed_tokens, 0)
            else 0 end) as feature_tokens,
        quantile_cont(date_diff('hour', artifacts.opened_at, artifacts.merged_at), 0.5)
            as cycle_time_hours,
        quantile_cont(date_diff('hour', artifacts.opened_at, artifacts.merged_at), 0.9)
            as cycle_time_p90_hours
    from artifacts
    left join artifact_tokens
        on
            artifacts.firm_id = artifact_tokens.firm_id
            and artifacts.artifact_key = artifact_tokens.artifact_key
    where artifacts.is_merged
    group by all
),

usage_months as (
    select
        firm_id, team_id, cast(date_trunc('month', usage_date) as date) as month,
        sum(input_tokens) as input_tokens,
        sum(output_tokens) as output_tokens,
        sum(cache_read_tokens) as cache_read_tokens,
        sum(cache_write_tokens) as cache_write_tokens,
        sum(total_tokens) as total_tokens,
        sum(case when is_priced then 0 else total_tokens end) as unpriced_tokens,
        sum(list_cost_usd) as list_cost_usd,
        sum(tco_cost_usd) as tco_cost_usd
    from priced
    group by all
),

attribution_months as (
    select
        firm_id, team_id, cast(date_trunc('month', usage_date) as date) as month,
        sum(case when method = 'direct_key' then tokens else 0 end) as direct_key_tokens,
        sum(case when method = 'team_window' then tokens else 0 end) as team_window_tokens,
        sum(case when method = 'unattributed' then tokens else 0 end) as unattributed_tokens
    from attribution
    group by all
),

team_months as (
    select firm_id, team_id, month from usage_months
    union
    select firm_id, team_id, month from delivery
),

joined as (
    select
        team_months.*,
        delivery.cycle_time_hours,
        delivery.cycle_time_p90_hours,
        delivery.shipped_features,
        delivery.feature_tokens,
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
        -- no task or issue sources in the benchmark landing
        0 as completed_tasks,
        0 as successful_tasks,
        coalesce(delivery.merged_prs, 0) as shipped_artifacts,
        0 as bugs_opened,
        case
            when usage_months.firm_id is null then 0
            when usage_months.unpriced_tokens = 0 then usage_months.list_cost_usd
        end as list_cost_usd,
        case
            when usage_months.firm_id is null then 0
            when usage_months.unpriced_tokens = 0 then usage_months.tco_cost_usd
        end as tco_cost_usd
    from team_months
    left join usage_months using (firm_id, team_id, month)
    left join attribution_months using (firm_id, team_id, month)
    left join delivery using (firm_id, team_id, month)
)

select
    md5(firm_id || '|' || team_id || '|' || cast(month as varchar)) as firm_team_month_id,
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
    attributed_tokens / nullif(merged_prs, 0) as tokens_per_merged_pr,
    attributed_tokens / nullif(completed_tasks, 0) as tokens_per_completed_task,
    tco_cost_usd / nullif(successful_tasks, 0) as cost_per_successful_task,
    feature_tokens / nullif(shipped_features, 0) as tokens_per_shipped_feature,
    cast(cycle_time_hours as double) as cycle_time_hours,
    cast(cycle_time_p90_hours as double) as cycle_time_p90_hours,
    cache_read_tokens / nullif(input_tokens + cache_read_tokens, 0) as cache_hit_ratio,
    attributed_tokens / nullif(total_tokens, 0) as attribution_coverage,
    bugs_opened / nullif(shipped_artifacts, 0) as defect_rate,
    shipped_artifacts * 1000000 / nullif(total_tokens, 0) as shipped_per_million_tokens
from joined;
