with

claude_code as (

    select * from {{ ref('stg_claude_code_analytics__actor_days') }}

),

copilot as (

    select * from {{ ref('stg_copilot_usage_metrics__user_days') }}

),

-- Claude Code reports per team, actor type and customer type: one row per team-day
claude_code_daily as (

    select
        firm_id,
        team_id,
        activity_date,
        'claude_code' as tool,
        sum(sessions) as sessions_or_interactions,
        sum(
            edit_tool_accepted + multi_edit_tool_accepted
            + write_tool_accepted + notebook_edit_tool_accepted
        ) as suggestions_accepted,
        sum(
            edit_tool_rejected + multi_edit_tool_rejected
            + write_tool_rejected + notebook_edit_tool_rejected
        ) as suggestions_rejected,
        sum(lines_added) as lines_added,
        sum(lines_removed) as lines_removed,
        sum(commits) as commits,
        sum(pull_requests) as pull_requests,
        sum(input_tokens) as input_tokens,
        sum(output_tokens) as output_tokens,
        sum(cache_read_tokens) as cache_read_tokens,
        sum(cache_write_tokens) as cache_write_tokens,
        sum(estimated_cost_usd) as estimated_cost_usd
    from claude_code
    group by firm_id, team_id, activity_date

),

-- Copilot counts what users accepted but not what they turned down, and nothing about
-- commits or pull requests; its tokens are the CLI's, and it is priced per seat
copilot_daily as (

    select
        firm_id,
        team_id,
        activity_date,
        'github_copilot' as tool,
        interactions as sessions_or_interactions,
        code_acceptances as suggestions_accepted,
        cast(null as bigint) as suggestions_rejected,
        lines_added,
        lines_deleted as lines_removed,
        cast(null as bigint) as commits,
        cast(null as bigint) as pull_requests,
        cli_prompt_tokens as input_tokens,
        cli_output_tokens as output_tokens,
        cast(null as bigint) as cache_read_tokens,
        cast(null as bigint) as cache_write_tokens,
        cast(null as decimal(18, 6)) as estimated_cost_usd
    from copilot

),

unioned as (

    select * from claude_code_daily
    union all
    select * from copilot_daily

),

final as (

    select
        {{ tpsp.surrogate_key(['firm_id', 'team_id', 'activity_date', 'tool']) }}
            as assistant_activity_daily_id,
        firm_id,
        team_id,
        activity_date,
        tool,
        cast(sessions_or_interactions as bigint) as sessions_or_interactions,
        cast(suggestions_accepted as bigint) as suggestions_accepted,
        cast(suggestions_rejected as bigint) as suggestions_rejected,
        cast(lines_added as bigint) as lines_added,
        cast(lines_removed as bigint) as lines_removed,
        cast(commits as bigint) as commits,
        cast(pull_requests as bigint) as pull_requests,
        cast(input_tokens as bigint) as input_tokens,
        cast(output_tokens as bigint) as output_tokens,
        cast(cache_read_tokens as bigint) as cache_read_tokens,
        cast(cache_write_tokens as bigint) as cache_write_tokens,
        cast(estimated_cost_usd as decimal(18, 6)) as estimated_cost_usd
    from unioned

)

select * from final
