"""`truth.json`: the planted truths, for tests and the demo.

Every case names its firm both by its raw slug (`raw_firm`) and by the pseudonym it has in
the marts (`firm_id`); teams carry their raw name (`raw_team`), and `tpsp demo` adds the
pseudonym (`team_id`) once it knows each firm's secret. Months are the first day of the
month, dates ISO days, as in the marts' flag tables, so truth joins to findings directly.
"""

from collections import defaultdict
from decimal import Decimal

from tpsp.generate.billing import BilledUsage, is_seed_priced, price, priced
from tpsp.generate.kinds.base import Written
from tpsp.generate.plan import Plan
from tpsp.generate.world import Firm

# fct_outlier_flags only judges team-months with this many merged pull requests (dbt var
# outlier_min_merged_prs); the outlier team is planted in the months it reaches it.
OUTLIER_MIN_MERGED_PRS = 3
# A pricing trap is listed when pricing it wrongly moves the firm-provider-month's vendor
# cost by more than this share: enough for a reconciliation test to tell the two apart.
PRICING_TRAP_MIN_SHARE = Decimal("0.005")
USD_PLACES = Decimal("0.000001")


def truth_document(
    seed: int, plan: Plan, firms: list[Firm], written: dict[str, Written]
) -> dict[str, object]:
    document: dict[str, object] = {
        "seed": seed,
        "firms": len(firms),
        "days": (plan.end - plan.start).days + 1,
        "start_date": plan.start.isoformat(),
        "end_date": plan.end.isoformat(),
        "spikes": [],
        "outlier_teams": [],
        "gaming_teams": [],
        "adoption": [],
        "unpriced_models": [],
        "decoys": [],
        "bad_inputs": [],
        "schema_drift": [],
        "small_teams": [],
        "unmapped_identities": [],
        "vendor_costs": [],
        "pricing_traps": [],
    }
    for firm in firms:
        ids = {"raw_firm": firm.slug, "firm_id": firm.spec.firm_id}
        _signals(document, firm, ids)
        _decoys(document, firm, ids)
        for team in firm.teams:
            if team.is_small:
                document["small_teams"].append(
                    {"raw_firm": firm.slug, "raw_team": team.name, "people": len(team.people)}
                )
        for drift in written[firm.slug].schema_drift:
            document["schema_drift"].append(
                ids | {"source_kind": drift.kind, "file": drift.file, "field": drift.field}
            )
        for bad in written[firm.slug].bad_inputs:
            document["bad_inputs"].append(
                ids
                | {
                    "source_kind": bad.kind,
                    "file": bad.file,
                    "date": bad.date.isoformat() if bad.date else None,
                    "defect": bad.defect,
                    "expected": bad.expected,
                }
            )
        mapped = {
            identity
            for team in firm.teams
            if team.in_org_map
            for person in team.people
            for identity in person.identities()
        }
        document["unmapped_identities"].extend(
            {"raw_firm": firm.slug, "identity": identity}
            for identity in sorted(written[firm.slug].identities - mapped)
        )
        _costs(document, written[firm.slug].billed, ids)
    return document


def _usd(amount: Decimal) -> str:
    return str(amount.quantize(USD_PLACES))


def _costs(document: dict, billed: list[BilledUsage], ids: dict[str, str]) -> None:
    """Vendor-billed totals per provider and month, and the months where a naive pricer
    (long context at the ``0-200k`` rate, 1-hour cache writes at the 5-minute rate) would be
    wrong by more than PRICING_TRAP_MIN_SHARE."""
    months: dict[tuple[str, str], dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for key, (tokens, cost) in priced(billed).items():
        sums = months[(key[0], key[1].replace(day=1).isoformat())]
        sums["vendor"] += cost
        if not is_seed_priced(key):
            sums["unpriced"] += cost
        sums["long_context"] += price(key, tokens, context_as="0-200k")
        sums["cache_write_1h"] += price(key, tokens, write_1h_as="cache_write_5m")
    for (provider, month), sums in sorted(months.items()):
        where = ids | {"provider": provider, "month": month}
        document["vendor_costs"].append(
            where
            | {
                "vendor_cost_usd": _usd(sums["vendor"]),
                "unpriced_model_cost_usd": _usd(sums["unpriced"]),
            }
        )
        for trap in ("long_context", "cache_write_1h"):
            naive = sums[trap]
            if abs(naive - sums["vendor"]) > PRICING_TRAP_MIN_SHARE * sums["vendor"]:
                document["pricing_traps"].append(
                    where
                    | {
                        "trap": trap,
                        "vendor_cost_usd": _usd(sums["vendor"]),
                        "naive_cost_usd": _usd(naive),
                    }
                )


def _signals(document: dict, firm: Firm, ids: dict[str, str]) -> None:
    if firm.spike is not None:
        document["spikes"].append(
            ids
            | {
                "raw_team": firm.spike.team,
                "date": firm.spike.date.isoformat(),
                "model": firm.spike.model,
                "previous_model": firm.spike.previous_model,
                "source_kind": firm.spike.kind,
            }
        )
    for team in firm.teams:
        team_ids = ids | {"raw_team": team.name}
        if team.is_outlier:
            document["outlier_teams"].extend(
                team_ids | {"month": month, "factor": team.tokens_factor}
                for month in _merging_months(firm, team.name)
            )
        if team.is_gaming:
            document["gaming_teams"].append(team_ids)
        if team.adopted_on is not None:
            document["adoption"].append(
                team_ids
                | {
                    "date": team.adopted_on.isoformat(),
                    "cycle_time_effect_pct": team.adoption_effect_pct,
                }
            )
    if firm.trial is not None:
        document["unpriced_models"].append(
            ids
            | {
                "raw_team": firm.trial_team,
                "model": firm.trial.model,
                "source_kind": firm.trial.kind,
                "start_date": firm.trial.start.isoformat(),
                "end_date": firm.trial.end.isoformat(),
            }
        )


def _decoys(document: dict, firm: Firm, ids: dict[str, str]) -> None:
    """Cases a naive rule would flag and the marts must not."""
    if firm.upgrade is not None:
        document["decoys"].append(
            ids
            | {
                "case": "model_change_without_spike",
                "date": firm.upgrade.date.isoformat(),
                "previous_model": firm.upgrade.previous_model,
                "model": firm.upgrade.model,
                "source_kind": firm.upgrade.kind,
            }
        )
    if firm.freeze is not None:
        document["decoys"].append(
            ids
            | {
                "case": "code_freeze",
                "raw_team": firm.freeze.team,
                "start_date": firm.freeze.start.isoformat(),
                "end_date": firm.freeze.end.isoformat(),
            }
        )


def _merging_months(firm: Firm, team: str) -> list[str]:
    counts: dict[str, int] = {}
    for pr in firm.prs:
        if pr.team == team and pr.merged is not None:
            month = pr.merged.date().replace(day=1).isoformat()
            counts[month] = counts.get(month, 0) + 1
    return sorted(month for month, count in counts.items() if count >= OUTLIER_MIN_MERGED_PRS)
