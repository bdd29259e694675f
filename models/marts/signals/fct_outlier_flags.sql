{#-
    Team-months whose tokens per merged PR exceed outlier_ratio x the median of their cohort:
    every team of the firms in the same size band that used AI tokens that month (a team
    that has not adopted yet would pull the median towards zero). Labelled `investigate`: a
    question for the firm to ask, never a rank.
-#}
with

team_months as (

    select * from {{ ref('fct_firm_efficiency') }}

),

firms as (

    select * from {{ ref('int_firms') }}

),

eligible as (

    select
        team_months.firm_id,
        team_months.team_id,
        team_months.month,
        team_months.merged_prs,
        team_months.tokens_per_merged_pr,
        firms.size_band
    from team_months
    inner join firms on team_months.firm_id = firms.firm_id
    where
        team_months.tokens_per_merged_pr > 0
        and team_months.merged_prs >= {{ var('outlier_min_merged_prs') }}

),

cohorts as (

    select
        size_band,
        month,
        {{ tpsp.median('tokens_per_merged_pr') }} as cohort_median,
        count(*) as cohort_teams,
        count(distinct firm_id) as cohort_firms
    from eligible
    group by size_band, month

),

final as (

    select
        {{ tpsp.surrogate_key(['eligible.firm_id', 'eligible.team_id', 'eligible.month']) }}
            as outlier_flag_id,
        eligible.firm_id,
        eligible.team_id,
        eligible.month,
        eligible.size_band,
        cast(eligible.merged_prs as bigint) as merged_prs,
        cast(eligible.tokens_per_merged_pr as double) as tokens_per_merged_pr,
        cast(cohorts.cohort_median as double) as cohort_median,
        eligible.tokens_per_merged_pr / cohorts.cohort_median as ratio_to_cohort_median,
        cast(cohorts.cohort_teams as bigint) as cohort_teams,
        cast(cohorts.cohort_firms as bigint) as cohort_firms,
        'investigate' as label
    from eligible
    inner join cohorts
        on
            eligible.size_band = cohorts.size_band
            and eligible.month = cohorts.month
    where eligible.tokens_per_merged_pr > {{ var('outlier_ratio') }} * cohorts.cohort_median

)

select * from final
