with

source as (

    select * from {{ source('claude_code_analytics', 'actor_days') }}

),

records as (

    select
        filename,
        {{ tpsp.explode('data') }} as record
    from source

),

renamed as (

    select
        -- ids
        {{ tpsp.landing_firm_id('filename') }} as firm_id,
        record.team_id,
        record.actor.type as actor_type,
        record.customer_type,

        -- activity
        record.core_metrics.num_sessions as sessions,
        record.core_metrics.lines_of_code.added as lines_added,
        record.core_metrics.lines_of_code.removed as lines_removed,
        record.core_metrics.commits_by_claude_code as commits,
        record.core_metrics.pull_requests_by_claude_code as pull_requests,
        record.tool_actions.edit_tool.accepted as edit_tool_accepted,
        record.tool_actions.edit_tool.rejected as edit_tool_rejected,
        record.tool_actions.multi_edit_tool.accepted as multi_edit_tool_accepted,
        record.tool_actions.multi_edit_tool.rejected as multi_edit_tool_rejected,
        record.tool_actions.write_tool.accepted as write_tool_accepted,
        record.tool_actions.write_tool.rejected as write_tool_rejected,
        record.tool_actions.notebook_edit_tool.accepted as notebook_edit_tool_accepted,
        record.tool_actions.notebook_edit_tool.rejected as notebook_edit_tool_rejected,
        record.model_breakdown,

        -- timestamps
        cast(record.date as date) as activity_date,
        {{ tpsp.landing_export_date('filename') }} as export_date,
        filename as landed_file

    from records

),

keyed as (

    select
        *,
        {{ tpsp.surrogate_key([
            'firm_id', 'activity_date', 'team_id', 'actor_type', 'customer_type'
        ]) }} as actor_day_id
    from renamed

),

model_lines as (

    select
        actor_day_id,
        landed_file,
        {{ tpsp.explode('model_breakdown') }} as model_line
    from keyed

),

-- Claude Code's four token counts are disjoint: `input` excludes cache reads and writes;
-- the estimated cost is in minor units (cents for USD)
model_totals as (

    select
        actor_day_id,
        landed_file,
        count(*) as model_count,
        sum(model_line.tokens.input) as input_tokens,
        sum(model_line.tokens.output) as output_tokens,
        sum(model_line.tokens.cache_read) as cache_read_tokens,
        sum(model_line.tokens.cache_creation) as cache_write_tokens,
        sum(
            case
                when model_line.estimated_cost.currency = 'USD'
                    then model_line.estimated_cost.amount / 100
            end
        ) as estimated_cost_usd
    from model_lines
    group by actor_day_id, landed_file

),

joined as (

    select
        keyed.actor_day_id,
        keyed.firm_id,
        keyed.team_id,
        keyed.actor_type,
        keyed.customer_type,
        keyed.sessions,
        keyed.lines_added,
        keyed.lines_removed,
        keyed.commits,
        keyed.pull_requests,
        keyed.edit_tool_accepted,
        keyed.edit_tool_rejected,
        keyed.multi_edit_tool_accepted,
        keyed.multi_edit_tool_rejected,
        keyed.write_tool_accepted,
        keyed.write_tool_rejected,
        keyed.notebook_edit_tool_accepted,
        keyed.notebook_edit_tool_rejected,
        keyed.activity_date,
        keyed.export_date,
        keyed.landed_file,
        cast(model_totals.estimated_cost_usd as decimal(18, 6)) as estimated_cost_usd,
        coalesce(model_totals.model_count, 0) as model_count,
        coalesce(model_totals.input_tokens, 0) as input_tokens,
        coalesce(model_totals.output_tokens, 0) as output_tokens,
        coalesce(model_totals.cache_read_tokens, 0) as cache_read_tokens,
        coalesce(model_totals.cache_write_tokens, 0) as cache_write_tokens
    from keyed
    left join model_totals
        on
            keyed.actor_day_id = model_totals.actor_day_id
            and keyed.landed_file = model_totals.landed_file

),

deduplicated as (

    {{ tpsp.deduplicate_latest('joined', ['actor_day_id']) }}

)

select * from deduplicated
