{{ config(**tpsp.incremental_by_date('export_date')) }}

with

source as (

    select * from {{ source('claude_code_otel', 'metrics') }}

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

resource_metrics as (

    select
        filename,
        {{ tpsp.explode('resourceMetrics') }} as resource_metric
    from {{ 'windowed' if is_incremental() else 'source' }}

),

scope_metrics as (

    select
        filename,
        {{ tpsp.explode('resource_metric.scopeMetrics') }} as scope_metric
    from resource_metrics

),

metrics as (

    select
        filename,
        {{ tpsp.explode('scope_metric.metrics') }} as metric
    from scope_metrics

),

data_points as (

    select
        filename,
        metric.name as metric_name,
        {{ tpsp.explode('metric.sum.dataPoints') }} as data_point
    from metrics

),

point_attributes as (

    select
        filename,
        metric_name,
        data_point,
        {{ tpsp.explode('data_point.attributes') }} as attribute
    from data_points

),

-- OTLP keeps attributes as key/value lists: one column per attribute we use; a data point
-- is its own group (its attributes make it unique within its file)
pivoted as (

    select
        filename,
        metric_name,
        data_point.timeUnixNano as time_unix_nano,
        data_point.asInt as as_int,
        data_point.asDouble as as_double,
        max(case when attribute.key = 'session.id' then attribute.value.stringValue end)
            as session_id,
        max(case when attribute.key = 'model' then attribute.value.stringValue end) as model,
        max(case when attribute.key = 'type' then attribute.value.stringValue end)
            as usage_type,
        max(case when attribute.key = 'tpsp.team_id' then attribute.value.stringValue end)
            as team_id
    from point_attributes
    group by
        filename,
        metric_name,
        data_point,
        data_point.timeUnixNano,
        data_point.asInt,
        data_point.asDouble

),

renamed as (

    select
        -- ids
        {{ tpsp.landing_firm_id('filename') }} as firm_id,
        team_id,
        session_id,

        -- what was counted
        metric_name,
        model,
        usage_type,
        coalesce(
            cast(as_int as decimal(38, 12)), cast(as_double as decimal(38, 12))
        ) as metric_value,

        -- timestamps
        {{ tpsp.from_unix_nanos('time_unix_nano') }} as usage_hour,
        {{ tpsp.landing_export_date('filename') }} as export_date,
        filename as landed_file

    from pivoted

),

deduplicated as (

    {{ tpsp.deduplicate_latest('renamed', [
        'firm_id', 'metric_name', 'session_id', 'model', 'usage_type', 'team_id', 'usage_hour'
    ]) }}

)

select
    {{ tpsp.surrogate_key([
        'firm_id', 'metric_name', 'session_id', 'model', 'usage_type', 'team_id', 'usage_hour'
    ]) }} as metric_point_id,
    firm_id,
    team_id,
    session_id,
    metric_name,
    model,
    usage_type,
    metric_value,
    usage_hour,
    export_date,
    landed_file
from deduplicated
