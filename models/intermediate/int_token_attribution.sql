{#-
    Splits every token of int_token_usage over shipped artifacts, per firm, team and day:
    direct_key   the usage carries the artifact's pseudonymous key;
    team_window  the team's other tokens of the day, split over the artifacts it had open
                 that day (pull requests weighted by lines changed when any is open, else
                 tasks weighted by story points), as whole tokens: each artifact gets the floor
                 of its share and the largest weight takes the remainder, so the methods add
                 back exactly to the total;
    unattributed the team had nothing open that day.
    Daily-totals firms carry no artifact keys: their team-days with any shipped or completed
    work count as team_window (artifact_key NULL), the others as unattributed.
-#}
{{ config(**tpsp.incremental_by_date('usage_date')) }}

with

token_usage as (

    select * from {{ ref('int_token_usage') }}

),

artifacts as (

    select * from {{ ref('int_shipped_artifacts') }}

),

daily_totals as (

    select * from {{ ref('stg_daily_totals__team_days') }}

),

usage_days as (

    select
        firm_id,
        team_id,
        usage_date,
        source_kind,
        artifact_key,
        sum(total_tokens) as tokens
    from token_usage
    -- an incremental run rebuilds whole team-days: every usage of each day of its window
    {%- if is_incremental() %}
    where {{ tpsp.in_incremental_window('usage_date', 'usage_date') }}
    {%- endif %}
    group by firm_id, team_id, usage_date, source_kind, artifact_key

),

direct_key as (

    select
        usage_days.firm_id,
        usage_days.team_id,
        usage_days.usage_date,
        usage_days.artifact_key,
        'direct_key' as method,
        sum(usage_days.tokens) as attributed_tokens
    from usage_days
    inner join artifacts
        on
            usage_days.firm_id = artifacts.firm_id
            and usage_days.artifact_key = artifacts.artifact_key
    group by usage_days.firm_id, usage_days.team_id, usage_days.usage_date, usage_days.artifact_key

),

pooled as (

    select
        usage_days.firm_id,
        usage_days.team_id,
        usage_days.usage_date,
        sum(usage_days.tokens) as tokens
    from usage_days
    left join artifacts
        on
            usage_days.firm_id = artifacts.firm_id
            and usage_days.artifact_key = artifacts.artifact_key
    where artifacts.artifact_key is null and usage_days.source_kind != 'daily_totals'
    group by usage_days.firm_id, usage_days.team_id, usage_days.usage_date

),

open_artifacts as (

    select
        pooled.firm_id,
        pooled.team_id,
        pooled.usage_date,
        pooled.tokens,
        artifacts.artifact_key,
        artifacts.kind,
        case when coalesce(artifacts.size, 0) < 1 then 1.0 else artifacts.size end as weight
    from pooled
    inner join artifacts
        on
            pooled.firm_id = artifacts.firm_id
            and pooled.team_id = artifacts.team_id
            and cast(artifacts.opened_at as date) <= pooled.usage_date
            and (
                artifacts.ended_at is null
                or cast(artifacts.ended_at as date) >= pooled.usage_date
            )
    -- tokens go to the work (changes and tasks), never to the release that ships it
    where artifacts.kind in ('pull_request', 'task')

),

eligible_kind as (

    select
        firm_id,
        team_id,
        usage_date,
        max(case when kind = 'pull_request' then 1 else 0 end) as has_open_pull_request
    from open_artifacts
    group by firm_id, team_id, usage_date

),

weighted as (

    select
        open_artifacts.*,
        sum(open_artifacts.weight) over (
            partition by open_artifacts.firm_id, open_artifacts.team_id, open_artifacts.usage_date
        ) as total_weight,
        row_number() over (
            partition by open_artifacts.firm_id, open_artifacts.team_id, open_artifacts.usage_date
            order by open_artifacts.weight desc, open_artifacts.artifact_key asc
        ) as weight_rank
    from open_artifacts
    inner join eligible_kind
        on
            open_artifacts.firm_id = eligible_kind.firm_id
            and open_artifacts.team_id = eligible_kind.team_id
            and open_artifacts.usage_date = eligible_kind.usage_date
    where
        open_artifacts.kind
        = case when eligible_kind.has_open_pull_request = 1 then 'pull_request' else 'task' end

),

floored_shares as (

    select
        *,
        cast(floor(tokens * weight / total_weight) as bigint) as floored_tokens
    from weighted

),

team_window as (

    select
        firm_id,
        team_id,
        usage_date,
        artifact_key,
        'team_window' as method,
        floored_tokens
        + case
            when weight_rank = 1
                then tokens - sum(floored_tokens) over (
                    partition by firm_id, team_id, usage_date
                )
            else 0
        end as attributed_tokens
    from floored_shares

),

unattributed as (

    select
        pooled.firm_id,
        pooled.team_id,
        pooled.usage_date,
        cast(null as {{ dbt.type_string() }}) as artifact_key,
        'unattributed' as method,
        pooled.tokens as attributed_tokens
    from pooled
    left join eligible_kind
        on
            pooled.firm_id = eligible_kind.firm_id
            and pooled.team_id = eligible_kind.team_id
            and pooled.usage_date = eligible_kind.usage_date
    where eligible_kind.firm_id is null

),

daily_total_output as (

    select
        firm_id,
        team_id,
        usage_date,
        sum(shipped_artifacts) + sum(completed_tasks) as delivered
    from daily_totals
    group by firm_id, team_id, usage_date

),

daily_total_split as (

    select
        usage_days.firm_id,
        usage_days.team_id,
        usage_days.usage_date,
        cast(null as {{ dbt.type_string() }}) as artifact_key,
        case
            when coalesce(daily_total_output.delivered, 0) > 0 then 'team_window'
            else 'unattributed'
        end as method,
        usage_days.tokens as attributed_tokens
    from usage_days
    left join daily_total_output
        on
            usage_days.firm_id = daily_total_output.firm_id
            and usage_days.team_id = daily_total_output.team_id
            and usage_days.usage_date = daily_total_output.usage_date
    where usage_days.source_kind = 'daily_totals'

),

unioned as (

    select * from direct_key
    union all
    select * from team_window
    union all
    select * from unattributed
    union all
    select * from daily_total_split

),

final as (

    select
        {{ tpsp.surrogate_key(['firm_id', 'team_id', 'usage_date', 'method', 'artifact_key']) }}
            as attribution_id,
        firm_id,
        team_id,
        usage_date,
        artifact_key,
        method,
        sum(attributed_tokens) as attributed_tokens
    from unioned
    group by firm_id, team_id, usage_date, artifact_key, method

)

select * from final
