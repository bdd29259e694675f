with

activity as (

    select * from {{ ref('int_assistant_activity_daily') }}

),

final as (

    select
        assistant_activity_daily_id,
        firm_id,
        team_id,
        activity_date,
        tool,
        sessions_or_interactions,
        suggestions_accepted,
        suggestions_rejected,
        lines_added,
        lines_removed,
        commits,
        pull_requests,
        input_tokens,
        output_tokens,
        cache_read_tokens,
        cache_write_tokens,
        estimated_cost_usd
    from activity

)

select * from final
