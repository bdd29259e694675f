"""AI-assisted and unassisted pull requests of the same team and month, side by side: a PR
is AI-assisted when tokens reached it by its own key."""

import statistics
from collections import defaultdict

from conftest import query


def test_every_merged_pr_is_either_ai_assisted_or_not(warehouse):
    rows = query(
        warehouse,
        """
        select merged_prs, ai_assisted_merged_prs, unassisted_merged_prs
        from firm_private.fct_firm_efficiency
        where ai_assisted_merged_prs is not null
        """,
    )
    assert rows
    assert all(assisted + unassisted == merged for merged, assisted, unassisted in rows)


def test_ai_assisted_means_tokens_named_the_pr(warehouse):
    (mismatched,) = query(
        warehouse,
        """
        select count(*) from firm_private.fct_shipped_artifacts
        where is_ai_assisted <> (direct_tokens > 0)
        """,
    )
    assert mismatched == (0,)


def test_cycle_times_of_both_arms_are_the_medians_of_their_prs(warehouse):
    arms: dict[tuple, dict[bool, list[float]]] = defaultdict(lambda: {True: [], False: []})
    for firm, team, month, assisted, hours in query(
        warehouse,
        """
        select firm_id, team_id, cast(date_trunc('month', shipped_at) as date),
            is_ai_assisted, cycle_time_hours
        from firm_private.fct_shipped_artifacts
        where kind = 'pull_request' and status = 'shipped'
        """,
    ):
        arms[(firm, team, month)][assisted].append(hours)
    compared = query(
        warehouse,
        """
        select firm_id, team_id, month, cycle_time_hours_ai_assisted, cycle_time_hours_unassisted
        from firm_private.fct_firm_efficiency
        where cycle_time_hours_ai_assisted is not null and cycle_time_hours_unassisted is not null
        """,
    )
    assert compared, "some team-months ship both AI-assisted and unassisted PRs"
    for firm, team, month, assisted_hours, unassisted_hours in compared:
        arm = arms[(firm, team, month)]
        assert abs(assisted_hours - statistics.median(arm[True])) < 1e-9
        assert abs(unassisted_hours - statistics.median(arm[False])) < 1e-9
