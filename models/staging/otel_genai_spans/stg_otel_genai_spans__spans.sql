{{ config(**tpsp.incremental_by_date('export_date')) }}

{%- set string_attributes = {
    'gen_ai.operation.name': 'operation_name',
    'gen_ai.provider.name': 'provider_name',
    'gen_ai.system': 'legacy_system_name',
    'gen_ai.request.model': 'request_model',
    'gen_ai.response.model': 'response_model',
    'tpsp.team_id': 'team_id',
    'tpsp.artifact_key': 'artifact_key',
} -%}
{%- set int_attributes = {
    'gen_ai.usage.input_tokens': 'reported_input_tokens',
    'gen_ai.usage.output_tokens': 'output_tokens',
    'gen_ai.usage.cache_read.input_tokens': 'cache_read_tokens',
    'gen_ai.usage.cache_creation.input_tokens': 'cache_write_tokens',
    'tpsp.duration_ms': 'duration_ms',
} -%}

with

source as (

    select * from {{ source('otel_genai_spans', 'spans') }}

),

{%- if is_incremental() %}

-- an incremental run reads only the landing days of its window
windowed as (

    select * from source
    where {{ tpsp.in_incremental_window(
        tpsp.landing_export_day('filename'), 'export_date', as_text=true
    ) }}

),
{%- endif %}

resource_spans as (

    select
        filename,
        {{ tpsp.explode('resourceSpans') }} as resource_span
    from {{ 'windowed' if is_incremental() else 'source' }}

),

scope_spans as (

    select
        filename,
        resource_span.resource.attributes as resource_attributes,
        {{ tpsp.explode('resource_span.scopeSpans') }} as scope_span
    from resource_spans

),

spans as (

    select
        filename,
        resource_attributes,
        {{ tpsp.explode('scope_span.spans') }} as span
    from scope_spans

),

-- OTLP keeps attributes as key/value lists: one column per attribute we use, read in
-- place (a span without attributes carries nothing to stage)
attributed as (

    select
        filename,
        span,
        {%- for key, column in string_attributes.items() %}
        {{ tpsp.otlp_attribute('span.attributes', key, 'stringValue') }} as {{ column }},
        {%- endfor %}
        {%- for key, column in int_attributes.items() %}
        {{ tpsp.otlp_attribute('span.attributes', key, 'intValue') }} as {{ column }},
        {%- endfor %}
        {{ tpsp.otlp_attribute('resource_attributes', 'service.name', 'stringValue') }}
            as service_name
    from spans
    where {{ tpsp.array_length('span.attributes') }} > 0

),

renamed as (

    select
        -- ids
        attrs.span.spanId as span_id,
        attrs.span.traceId as trace_id,
        {{ tpsp.landing_firm_id('attrs.filename') }} as firm_id,
        attrs.team_id,
        attrs.artifact_key,

        -- model
        lower(coalesce(attrs.provider_name, attrs.legacy_system_name)) as provider,
        coalesce(attrs.response_model, attrs.request_model) as model,
        attrs.operation_name,
        coalesce(attrs.service_name, attrs.operation_name) as workflow_tag,

        -- tokens: OTel's input count includes cache reads and writes, ours is uncached only
        cast(attrs.reported_input_tokens as bigint)
        - coalesce(cast(attrs.cache_read_tokens as bigint), 0)
        - coalesce(cast(attrs.cache_write_tokens as bigint), 0) as input_tokens,
        cast(attrs.output_tokens as bigint) as output_tokens,
        coalesce(cast(attrs.cache_read_tokens as bigint), 0) as cache_read_tokens,
        coalesce(cast(attrs.cache_write_tokens as bigint), 0) as cache_write_tokens,
        cast(attrs.duration_ms as bigint) as duration_ms,

        -- timestamps
        {{ tpsp.from_unix_nanos('attrs.span.startTimeUnixNano') }} as started_at,
        {{ tpsp.landing_export_date('attrs.filename') }} as export_date,
        attrs.filename as landed_file

    from attributed as attrs

),

deduplicated as (

    {{ tpsp.deduplicate_latest('renamed', ['firm_id', 'span_id']) }}

)

select
    {{ tpsp.surrogate_key(['firm_id', 'span_id']) }} as span_usage_id,
    *
from deduplicated
