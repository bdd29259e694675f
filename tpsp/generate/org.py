"""The firm-side files beside the exports: the firm profile and the org map."""

from pathlib import Path

from tpsp.generate.files import write_csv, write_json
from tpsp.generate.world import Firm

SCHEMA_VERSION = 1


def write_firm_profile(firm: Firm, folder: Path) -> None:
    profile = {
        "firm_id": firm.spec.firm_id,
        "size_band": firm.size_band,
        "industry": firm.spec.industry,
        "timezone": firm.timezone,
        "tco_overhead_multiplier": firm.tco_overhead_multiplier,
        "schema_version": SCHEMA_VERSION,
    }
    write_json(folder / "firm.json", profile, indent=2)


def write_org_map(firm: Firm, folder: Path) -> None:
    """`identity,team,person`: one row per identity of every person the firm has mapped."""
    rows: list[list[object]] = []
    for team in firm.teams:
        if not team.in_org_map:
            continue
        for person in team.people:
            rows.extend([identity, team.name, person.email] for identity in person.identities())
    write_csv(folder / "org_map.csv", ["identity", "team", "person"], rows)
