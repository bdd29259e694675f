with

source as (

    select * from {{ source('copilot_usage_metrics', 'team_days') }}

),

renamed as (

    select
        -- ids
        {{ tpsp.landing_firm_id('filename') }} as firm_id,
        team_id,

        -- activity
        user_initiated_interaction_count as interactions,
        code_generation_activity_count as code_generations,
        code_acceptance_activity_count as code_acceptances,
        loc_suggested_to_add_sum as lines_suggested_to_add,
        loc_suggested_to_delete_sum as lines_suggested_to_delete,
        loc_added_sum as lines_added,
        loc_deleted_sum as lines_deleted,
        coalesce(used_agent, false) as used_agent,
        coalesce(used_chat, false) as used_chat,
        coalesce(used_cli, false) as used_cli,

        -- Copilot CLI: the only part of Copilot that reports tokens; prompt tokens are not
        -- split into cached and uncached
        totals_by_cli.session_count as cli_sessions,
        totals_by_cli.request_count as cli_requests,
        totals_by_cli.prompt_count as cli_prompts,
        totals_by_cli.token_usage.prompt_tokens_sum as cli_prompt_tokens,
        totals_by_cli.token_usage.output_tokens_sum as cli_output_tokens,

        -- timestamps
        cast(day as date) as activity_date,
        {{ tpsp.landing_export_date('filename') }} as export_date,
        filename as landed_file

    from source

),

deduplicated as (

    {{ tpsp.deduplicate_latest('renamed', ['firm_id', 'activity_date', 'team_id']) }}

)

select
    {{ tpsp.surrogate_key(['firm_id', 'activity_date', 'team_id']) }} as team_day_id,
    *
from deduplicated
