{#-
    MetricFlow's daily time spine: one row per UTC calendar day. MetricFlow joins to it only
    for time-spine joins (cumulative metrics, offsets, filled gaps), so a generous fixed range
    costs a few thousand rows and never needs a rebuild when new months land.
-#}
{%- set spine_start = '2020-01-01' -%}
{%- set spine_days = 7305 -%}

with

day_numbers as (

    {{ tpsp.integers(spine_days) }}

),

final as (

    select
        cast(
            {{ dbt.dateadd('day', 'n', "cast('" ~ spine_start ~ "' as date)") }} as date
        ) as date_day
    from day_numbers

)

select * from final
