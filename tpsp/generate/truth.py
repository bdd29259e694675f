"""`truth.json`: the planted truths, in raw (firm-side) names, for tests and the demo."""

from tpsp.generate.kinds.base import Written
from tpsp.generate.plan import Plan
from tpsp.generate.times import date_range, month_of
from tpsp.generate.world import Firm


def truth_document(
    seed: int, plan: Plan, firms: list[Firm], written: dict[str, Written]
) -> dict[str, object]:
    months = sorted({month_of(day) for day in date_range(plan.start, plan.end)})
    document: dict[str, object] = {
        "seed": seed,
        "firms": len(firms),
        "days": (plan.end - plan.start).days + 1,
        "start_date": plan.start.isoformat(),
        "end_date": plan.end.isoformat(),
        "spikes": [],
        "outlier_teams": [],
        "bad_inputs": [],
        "schema_drift": [],
        "small_teams": [],
        "unmapped_identities": [],
    }
    for firm in firms:
        ids = {"raw_firm": firm.slug, "firm_id": firm.spec.firm_id}
        if firm.spike is not None:
            document["spikes"].append(
                ids
                | {
                    "date": firm.spike.date.isoformat(),
                    "model": firm.spike.model,
                    "previous_model": firm.spike.previous_model,
                    "source_kind": firm.spike.kind,
                }
            )
        for team in firm.teams:
            if team.is_outlier:
                document["outlier_teams"].append(
                    ids | {"raw_team": team.name, "factor": team.tokens_factor, "months": months}
                )
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
    return document
