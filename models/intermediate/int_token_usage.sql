{{ config(**tpsp.incremental_by_date('usage_date')) }}

{#-
    An incremental run rebuilds only the days of its window. Each source is filtered at its
    scan, because the engine does not push a filter on the rolled-up hour below the roll-up;
    the window's start is looked up once for all of them (none on a full build).
-#}
{%- set window_start = tpsp.incremental_cutoff('usage_date') if is_incremental() else none %}

with

spans as (

    select * from {{ ref('stg_otel_genai_spans__spans') }}
    where {{ tpsp.on_or_after_cutoff('cast(started_at as date)', window_start) }}

),

openai_completions as (

    select * from {{ ref('stg_openai_usage__completions') }}
    where {{ tpsp.on_or_after_cutoff('cast(bucket_started_at as date)', window_start) }}

),

anthropic_messages as (

    select * from {{ ref('stg_anthropic_usage__messages') }}
    where {{ tpsp.on_or_after_cutoff('cast(bucket_started_at as date)', window_start) }}

),

daily_totals as (

    select * from {{ ref('stg_daily_totals__team_days') }}
    where {{ tpsp.on_or_after_cutoff('usage_date', window_start) }}

),

claude_code_points as (

    select * from {{ ref('stg_claude_code_otel__data_points') }}
    where {{ tpsp.on_or_after_cutoff('cast(usage_hour as date)', window_start) }}

),

litellm_hours as (

    select * from {{ ref('stg_litellm_spend__team_hours') }}
    where {{ tpsp.on_or_after_cutoff('cast(usage_hour as date)', window_start) }}

),

firms as (

    select * from {{ ref('stg_firms__firm_profiles') }}

),

model_prices as (

    select * from {{ ref('model_prices') }}

),

workflow_taxonomy as (

    select * from {{ ref('workflow_taxonomy') }}

),

-- a request whose whole input (cache included) exceeds the long-context threshold is billed
-- at the long-context rate, every token of it: classify each call before rolling up
span_calls as (

    select
        *,
        case
            when
                input_tokens + cache_read_tokens + cache_write_tokens
                > {{ var('long_context_threshold_tokens') }}
                then '200k-1M'
            else '0-200k'
        end as context_window_class
    from spans

),

-- per-call spans roll up to the hour, the finest grain that leaves the firm
span_hours as (

    select
        firm_id,
        team_id,
        {{ dbt.date_trunc('hour', 'started_at') }} as usage_at,
        'hour' as time_grain,
        provider,
        model,
        cast(null as {{ dbt.type_string() }}) as model_class,
        workflow_tag,
        'otel_genai_spans' as source_kind,
        artifact_key,
        context_window_class,
        'standard' as service_tier,
        sum(input_tokens) as input_tokens,
        sum(output_tokens) as output_tokens,
        sum(cache_read_tokens) as cache_read_tokens,
        sum(cache_write_tokens) as cache_write_tokens,
        cast(0 as bigint) as cache_write_1h_tokens,
        cast(null as bigint) as reported_total_tokens,
        count(*) as requests,
        cast(null as decimal(38, 12)) as reported_cost_usd
    from span_calls
    group by
        firm_id, team_id, {{ dbt.date_trunc('hour', 'started_at') }},
        provider, model, workflow_tag, artifact_key, context_window_class

),

openai_days as (

    select
        firm_id,
        team_id,
        bucket_started_at as usage_at,
        'day' as time_grain,
        provider,
        model,
        cast(null as {{ dbt.type_string() }}) as model_class,
        cast(null as {{ dbt.type_string() }}) as workflow_tag,
        'openai_usage' as source_kind,
        cast(null as {{ dbt.type_string() }}) as artifact_key,
        cast(null as {{ dbt.type_string() }}) as context_window_class,
        case when is_batch then 'batch' else 'standard' end as service_tier,
        sum(input_tokens) as input_tokens,
        sum(output_tokens) as output_tokens,
        sum(cache_read_tokens) as cache_read_tokens,
        sum(cache_write_tokens) as cache_write_tokens,
        cast(0 as bigint) as cache_write_1h_tokens,
        cast(null as bigint) as reported_total_tokens,
        sum(requests) as requests,
        cast(null as decimal(38, 12)) as reported_cost_usd
    from openai_completions
    group by
        firm_id, team_id, bucket_started_at, provider, model,
        case when is_batch then 'batch' else 'standard' end

),

anthropic_days as (

    select
        firm_id,
        team_id,
        bucket_started_at as usage_at,
        'day' as time_grain,
        provider,
        model,
        cast(null as {{ dbt.type_string() }}) as model_class,
        cast(null as {{ dbt.type_string() }}) as workflow_tag,
        'anthropic_usage' as source_kind,
        cast(null as {{ dbt.type_string() }}) as artifact_key,
        context_window_class,
        coalesce(service_tier, 'standard') as service_tier,
        sum(input_tokens) as input_tokens,
        sum(output_tokens) as output_tokens,
        sum(cache_read_tokens) as cache_read_tokens,
        sum(cache_write_tokens) as cache_write_tokens,
        sum(cache_write_1h_tokens) as cache_write_1h_tokens,
        cast(null as bigint) as reported_total_tokens,
        cast(null as bigint) as requests,
        cast(null as decimal(38, 12)) as reported_cost_usd
    from anthropic_messages
    group by
        firm_id, team_id, bucket_started_at, provider, model, context_window_class,
        coalesce(service_tier, 'standard')

),

-- daily-totals firms report one undivided token count per team, day and model class
daily_total_days as (

    select
        firm_id,
        team_id,
        cast(usage_date as timestamp) as usage_at,
        'day' as time_grain,
        cast(null as {{ dbt.type_string() }}) as provider,
        cast(null as {{ dbt.type_string() }}) as model,
        model_class,
        cast(null as {{ dbt.type_string() }}) as workflow_tag,
        'daily_totals' as source_kind,
        cast(null as {{ dbt.type_string() }}) as artifact_key,
        cast(null as {{ dbt.type_string() }}) as context_window_class,
        cast(null as {{ dbt.type_string() }}) as service_tier,
        cast(null as bigint) as input_tokens,
        cast(null as bigint) as output_tokens,
        cast(null as bigint) as cache_read_tokens,
        cast(null as bigint) as cache_write_tokens,
        cast(null as bigint) as cache_write_1h_tokens,
        sum(total_tokens) as reported_total_tokens,
        cast(null as bigint) as requests,
        cast(null as decimal(38, 12)) as reported_cost_usd
    from daily_totals
    group by firm_id, team_id, usage_date, model_class

),

-- Claude Code reports each token type as its own data point; its input excludes the cache
claude_code_hours as (

    select
        firm_id,
        team_id,
        usage_hour as usage_at,
        'hour' as time_grain,
        'anthropic' as provider,
        model,
        cast(null as {{ dbt.type_string() }}) as model_class,
        'agentic_coding' as workflow_tag,
        'claude_code_otel' as source_kind,
        cast(null as {{ dbt.type_string() }}) as artifact_key,
        cast(null as {{ dbt.type_string() }}) as context_window_class,
        'standard' as service_tier,
        {%- for usage_type, column in [
            ('input', 'input_tokens'),
            ('output', 'output_tokens'),
            ('cacheRead', 'cache_read_tokens'),
            ('cacheCreation', 'cache_write_tokens'),
        ] %}
        cast(sum(case
            when metric_name = 'claude_code.token.usage' and usage_type = '{{ usage_type }}'
                then metric_value
            else 0
        end) as bigint) as {{ column }},
        {%- endfor %}
        -- Claude Code writes the prompt cache with the default 5-minute lifetime
        cast(0 as bigint) as cache_write_1h_tokens,
        cast(null as bigint) as reported_total_tokens,
        cast(null as bigint) as requests,
        sum(case when metric_name = 'claude_code.cost.usage' then metric_value end)
            as reported_cost_usd
    from claude_code_points
    where metric_name in ('claude_code.token.usage', 'claude_code.cost.usage')
    group by firm_id, team_id, usage_hour, model

),

-- a LiteLLM response-cache hit reaches no provider: it used no tokens
litellm_gateway_hours as (

    select
        firm_id,
        team_id,
        usage_hour as usage_at,
        'hour' as time_grain,
        provider,
        model,
        cast(null as {{ dbt.type_string() }}) as model_class,
        workflow_tag,
        'litellm_spend' as source_kind,
        cast(null as {{ dbt.type_string() }}) as artifact_key,
        cast(null as {{ dbt.type_string() }}) as context_window_class,
        'standard' as service_tier,
        sum(input_tokens) as input_tokens,
        sum(output_tokens) as output_tokens,
        sum(cache_read_tokens) as cache_read_tokens,
        sum(cache_write_tokens) as cache_write_tokens,
        cast(0 as bigint) as cache_write_1h_tokens,
        cast(null as bigint) as reported_total_tokens,
        sum(requests) as requests,
        sum(reported_cost_usd) as reported_cost_usd
    from litellm_hours
    where not is_proxy_cache_hit
    group by firm_id, team_id, usage_hour, provider, model, workflow_tag

),

all_usage as (

    select * from span_hours
    union all
    select * from openai_days
    union all
    select * from anthropic_days
    union all
    select * from daily_total_days
    union all
    select * from claude_code_hours
    union all
    select * from litellm_gateway_hours

),

unioned as (

    select * from all_usage

),

-- one price lookup per distinct rate key, not per usage row
rate_keys as (

    select distinct
        provider,
        model,
        cast(usage_at as date) as usage_date,
        coalesce(service_tier, 'standard') as service_tier,
        coalesce(context_window_class, '0-200k') as context_window_class
    from unioned
    where provider is not null

),

-- the most specific price pattern valid on the usage date wins (gpt-4.1-mini over gpt-4.1),
-- among the seed's rows for the usage's service tier and context-window class
rate_candidates as (

    select
        rate_keys.provider,
        rate_keys.model,
        rate_keys.usage_date,
        rate_keys.service_tier,
        rate_keys.context_window_class,
        model_prices.model_pattern,
        model_prices.valid_from,
        model_prices.model_class,
        {%- for token_type in tpsp.priced_token_types() %}
        model_prices.{{ token_type.rate }},
        {%- endfor %}
        row_number() over (
            partition by
                rate_keys.provider, rate_keys.model, rate_keys.usage_date,
                rate_keys.service_tier, rate_keys.context_window_class
            order by length(model_prices.model_pattern) desc, model_prices.valid_from desc
        ) as price_rank
    from rate_keys
    inner join model_prices
        on
            rate_keys.provider = model_prices.provider
            and lower(rate_keys.model) like model_prices.model_pattern || '%'
            and rate_keys.service_tier = model_prices.service_tier
            and rate_keys.context_window_class = model_prices.context_window_class
            and rate_keys.usage_date >= model_prices.valid_from
            and (model_prices.valid_to is null or rate_keys.usage_date <= model_prices.valid_to)

),

rates as (

    select * from rate_candidates
    where price_rank = 1

),

priced as (

    select
        unioned.firm_id,
        unioned.team_id,
        unioned.usage_at,
        cast(unioned.usage_at as date) as usage_date,
        unioned.time_grain,
        unioned.provider,
        unioned.model,
        unioned.source_kind,
        unioned.artifact_key,
        unioned.context_window_class,
        unioned.service_tier,
        unioned.input_tokens,
        unioned.output_tokens,
        unioned.cache_read_tokens,
        unioned.cache_write_tokens,
        unioned.cache_write_1h_tokens,
        unioned.requests,
        unioned.reported_cost_usd,
        firms.tco_overhead_multiplier,
        rates.model_pattern as price_model_pattern,
        rates.valid_from as price_valid_from,
        coalesce(rates.model_class, unioned.model_class) as model_class,
        coalesce(workflow_taxonomy.workflow, 'other') as workflow,
        coalesce(
            unioned.reported_total_tokens,
            unioned.input_tokens + unioned.output_tokens
            + unioned.cache_read_tokens + unioned.cache_write_tokens
        ) as total_tokens,
        rates.model_pattern is not null as is_priced,
        -- token and rate columns come from different sides of the join: unqualified is unique
        (
            {%- for token_type in tpsp.priced_token_types() %}
            {{ tpsp.token_cost(token_type.tokens, token_type.rate) }}{{ ' +' if not loop.last }}
            {%- endfor %}
        ) as list_cost_usd
    from unioned
    left join rates
        on
            unioned.provider = rates.provider
            and unioned.model = rates.model
            and cast(unioned.usage_at as date) = rates.usage_date
            and coalesce(unioned.service_tier, 'standard') = rates.service_tier
            and coalesce(unioned.context_window_class, '0-200k') = rates.context_window_class
    left join workflow_taxonomy
        on lower(unioned.workflow_tag) = workflow_taxonomy.workflow_tag
    left join firms
        on unioned.firm_id = firms.firm_id

),

final as (

    select
        {{ tpsp.surrogate_key([
            'firm_id', 'team_id', 'usage_at', 'provider', 'model', 'model_class',
            'workflow', 'source_kind', 'artifact_key', 'context_window_class', 'service_tier'
        ]) }} as token_usage_id,
        firm_id,
        team_id,
        usage_at,
        usage_date,
        time_grain,
        provider,
        model,
        model_class,
        workflow,
        source_kind,
        artifact_key,
        context_window_class,
        service_tier,
        price_model_pattern,
        price_valid_from,
        sum(input_tokens) as input_tokens,
        sum(output_tokens) as output_tokens,
        sum(cache_read_tokens) as cache_read_tokens,
        sum(cache_write_tokens) as cache_write_tokens,
        sum(cache_write_1h_tokens) as cache_write_1h_tokens,
        sum(total_tokens) as total_tokens,
        sum(requests) as requests,
        sum(reported_cost_usd) as reported_cost_usd,
        bool_and(is_priced) as is_priced,
        sum({{ tpsp.fixed_point('list_cost_usd') }}) as list_cost_usd,
        sum({{ tpsp.fixed_point('list_cost_usd * tco_overhead_multiplier') }}) as tco_cost_usd
    from priced
    group by
        firm_id, team_id, usage_at, usage_date, time_grain, provider, model, model_class,
        workflow, source_kind, artifact_key, context_window_class, service_tier,
        price_model_pattern, price_valid_from

)

select * from final
