{#-
    Cross-firm percentiles per metric × period (month, quarter) × segment, over one value per
    firm (fct_firm_benchmark_values). Privacy rule 4: a cell with fewer than k_min_firms firms
    keeps its row, with NULL percentiles and suppressed = true.
-#}
{%- set k = var('k_min_firms') -%}

with

firm_values as (

    select * from {{ ref('fct_firm_benchmark_values') }}

),

cells as (

    select
        metric,
        period_type,
        period_start,
        segment_type,
        segment_value,
        count(distinct firm_id) as firms,
        sum(teams) as teams,
        {{ tpsp.percentile_cont('metric_value', 0.1) }} as p10,
        {{ tpsp.percentile_cont('metric_value', 0.25) }} as p25,
        {{ tpsp.percentile_cont('metric_value', 0.5) }} as p50,
        {{ tpsp.percentile_cont('metric_value', 0.75) }} as p75,
        {{ tpsp.percentile_cont('metric_value', 0.9) }} as p90
    from firm_values
    group by metric, period_type, period_start, segment_type, segment_value

),

-- privacy rule 4: a cell below k firms keeps its row but publishes no value
final as (

    select
        {{ tpsp.surrogate_key([
            'metric', 'period_type', 'period_start', 'segment_type', 'segment_value'
        ]) }} as benchmark_id,
        metric,
        period_type,
        cast(period_start as date) as period_start,
        segment_type,
        segment_value,
        cast(firms as bigint) as firms,
        cast(teams as bigint) as teams,
        firms < {{ k }} as suppressed,
        case when firms >= {{ k }} then p10 end as p10,
        case when firms >= {{ k }} then p25 end as p25,
        case when firms >= {{ k }} then p50 end as p50,
        case when firms >= {{ k }} then p75 end as p75,
        case when firms >= {{ k }} then p90 end as p90
    from cells

)

select * from final
