{#-
    Cross-firm percentiles per metric × period (month, quarter) × segment, over one value per
    firm (fct_firm_benchmark_values). A cell that would single out a firm keeps its row with
    NULL percentiles, NULL teams, suppressed = true and a suppression_reason:

    - too_few_firms (privacy rule 4): fewer than k_min_firms firms.
    - dominant_firm: one firm holds more than dominance_share of the cell's denominator (the
      merged PRs behind tokens per merged PR, ...): the figure would mostly describe that firm.
    - complementary: published, it would let subtraction recover a lone suppressed cell of
      its segment type (below).

    What an attacker can combine, and why these rules answer it:
    - Subtraction within a segment type. The size bands split the firms of the `all` cell, so
      `all` minus the published bands gives a lone suppressed band's firms and teams.
      Percentiles leak the same way: the five percentiles of five firms are their five values,
      and `all`'s then pin down a sixth. So when a segment type of a metric and period has
      exactly one suppressed cell, its smallest published cell is suppressed too: what
      subtraction recovers is shared by two cells at least. The usage splits get the same rule
      although their firms overlap and do not add up.
    - teams is a magnitude, each firm's team count summed: a one-firm cell's teams is that
      firm's size, so suppressed cells publish none. Subtraction then leaves the sum over two
      or more suppressed cells, each with at least one team per firm: no single count.
    - firms stays on every cell. How many firms contribute is no firm's data (official
      business statistics publish it beside suppressed values), it is why a cell is
      suppressed, and the reason bounds it anyway (too_few_firms: below k; otherwise k or more).
    - A quarter against its months: a firm's quarter value is a ratio of its summed
      numerators and denominators, not a function of its month values alone, and a team active in
      several months counts once in the quarter, so neither percentiles nor counts subtract. A
      quarter holding one month of data is that month's cell and is suppressed alike.
    - Two releases: when one firm joins, exact percentiles of a handful of firms give its value
      away, and no rule here can see it, since a build sees one release. The release guard
      (tpsp/privacy/release_guard.py) runs after the build and suppresses, as
      release_difference, a cell whose firms changed by fewer than k_min_firms since it was
      published; dp_epsilon bounds what a firm can lose in each release besides.

    With dp_epsilon set, the values stay NULL here, so that no exact figure reaches the
    benchmark schema or its Parquet export: the differentially private release
    (tpsp/privacy/dp_release.py) fills them in after the build.
-#}
{%- set k = var('k_min_firms') -%}
{%- set dominance_share = var('dominance_share') -%}
{%- set published = 'suppression_reason is null' if var('dp_epsilon') is none else 'false' -%}

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
        max(denominator) as largest_denominator,
        sum(denominator) as total_denominator,
        {{ tpsp.percentile_cont('metric_value', 0.1) }} as p10,
        {{ tpsp.percentile_cont('metric_value', 0.25) }} as p25,
        {{ tpsp.percentile_cont('metric_value', 0.5) }} as p50,
        {{ tpsp.percentile_cont('metric_value', 0.75) }} as p75,
        {{ tpsp.percentile_cont('metric_value', 0.9) }} as p90
    from firm_values
    group by metric, period_type, period_start, segment_type, segment_value

),

-- what a cell gives away on its own
primary_suppression as (

    select
        *,
        case
            when firms < {{ k }} then 'too_few_firms'
            when largest_denominator > {{ dominance_share }} * total_denominator
                then 'dominant_firm'
        end as primary_reason
    from cells

),

-- a lone suppressed cell of a segment type is `all` minus its published siblings
ranked as (

    select
        *,
        sum(case when primary_reason is not null then 1 else 0 end) over (
            partition by metric, period_type, period_start, segment_type
        ) as suppressed_in_segment_type,
        row_number() over (
            partition by
                metric, period_type, period_start, segment_type, primary_reason is null
            order by firms asc, teams asc, segment_value asc
        ) as size_rank
    from primary_suppression

),

suppression as (

    select
        *,
        case
            when primary_reason is not null then primary_reason
            when suppressed_in_segment_type = 1 and size_rank = 1 then 'complementary'
        end as suppression_reason
    from ranked

),

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
        cast(case when {{ published }} then teams end as bigint) as teams,
        suppression_reason is not null as suppressed,
        suppression_reason,
        case when {{ published }} then p10 end as p10,
        case when {{ published }} then p25 end as p25,
        case when {{ published }} then p50 end as p50,
        case when {{ published }} then p75 end as p75,
        case when {{ published }} then p90 end as p90,
        cast(null as {{ dbt.type_string() }}) as dp_release_id
    from suppression

)

select * from final
