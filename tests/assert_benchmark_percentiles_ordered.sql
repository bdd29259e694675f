-- Published benchmark cells have ordered percentiles and at least k_min_firms firms.
select
    benchmark_id,
    metric,
    period_start,
    firms,
    suppressed,
    p25,
    p50,
    p75,
    p90
from {{ ref('fct_benchmarks') }}
where
    (not suppressed and (p10 > p25 or p25 > p50 or p50 > p75 or p75 > p90))
    or (not suppressed and firms < {{ var('k_min_firms') }})
    or (suppressed and coalesce(p10, p25, p50, p75, p90) is not null)
