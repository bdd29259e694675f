"""Synthetic raw vendor exports for N firms, with planted truths recorded in `truth.json`.

    from tpsp.generate import generate
    result = generate(Path("demo"), firms=6, days=120, seed=7)

writes `demo/raw/<firm_slug>/` (firm.json, org_map.csv and one folder per source kind, in
the raw shapes of docs/landing_contract.md) and `demo/truth.json`.
"""

import random
import shutil
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from tpsp.errors import InputError
from tpsp.generate.files import write_json
from tpsp.generate.kinds import COST_WRITERS, WRITERS, Written
from tpsp.generate.org import write_firm_profile, write_org_map
from tpsp.generate.plan import choose_plan
from tpsp.generate.simulate import build_firm
from tpsp.generate.truth import truth_document
from tpsp.generate.world import Firm, firm_specs
from tpsp.source_kinds import SOURCE_KINDS

DEFAULT_END_DATE = date(2026, 10, 31)


@dataclass(frozen=True)
class GenerateResult:
    firm_dirs: list[Path]  # out/raw/<firm_slug>
    truth_path: Path  # out/truth.json


def generate(
    out: Path,
    firms: int = 6,
    days: int = 120,
    seed: int = 7,
    end_date: date = DEFAULT_END_DATE,
) -> GenerateResult:
    """Write raw exports for `firms` firms over the `days` days ending on `end_date`."""
    if firms < 1:
        raise InputError(f"firms must be at least 1, got {firms}")
    if days < 1:
        raise InputError(f"days must be at least 1, got {days}")
    out = Path(out)
    start = end_date - timedelta(days=days - 1)
    specs = firm_specs(seed, firms)
    plan = choose_plan(seed, [spec.kinds for spec in specs], start, end_date)
    raw = out / "raw"
    _remove_previous_firms(raw)
    built: list[Firm] = []
    written: dict[str, Written] = {}
    for spec in specs:
        firm = build_firm(seed, spec, plan)
        folder = raw / spec.slug
        write_firm_profile(firm, folder)
        write_org_map(firm, folder)
        written[spec.slug] = _write_kinds(seed, firm, folder)
        built.append(firm)
    truth_path = out / "truth.json"
    write_json(truth_path, truth_document(seed, plan, built, written), indent=2)
    return GenerateResult(firm_dirs=[raw / spec.slug for spec in specs], truth_path=truth_path)


def _write_kinds(seed: int, firm: Firm, folder: Path) -> Written:
    """Every kind of the firm; cost reports last, priced from what the others billed."""
    combined = Written()
    for kind in firm.spec.kinds:
        if SOURCE_KINDS[kind].carries != "cost":
            rng = random.Random(f"{seed}:{firm.slug}:{kind}")
            _absorb(combined, WRITERS[kind](firm, folder / kind, rng))
    for kind in firm.spec.kinds:
        if SOURCE_KINDS[kind].carries == "cost":
            _absorb(combined, COST_WRITERS[kind](firm, folder / kind, combined.billed))
    return combined


def _absorb(combined: Written, result: Written) -> None:
    combined.bad_inputs.extend(result.bad_inputs)
    combined.schema_drift.extend(result.schema_drift)
    combined.identities |= result.identities
    combined.billed.extend(result.billed)


def _remove_previous_firms(raw: Path) -> None:
    """Clear firm folders of an earlier run, so the output holds exactly this run."""
    if not raw.is_dir():
        return
    for folder in sorted(raw.iterdir()):
        if folder.is_dir() and (folder / "firm.json").is_file():
            shutil.rmtree(folder)


__all__ = ["GenerateResult", "generate"]
