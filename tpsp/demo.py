"""`tpsp demo`: generate → anonymize every firm → gate → dbt build, all under one folder."""

import hashlib
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from expectations.runner import GateReport, run_gates
from tpsp.anonymize import AnonymizeReport, anonymize_firm
from tpsp.anonymize.hashing import team_pseudonym
from tpsp.dbt_runner import DbtResult, run_dbt
from tpsp.generate import generate
from tpsp.privacy import LedgerRow, release_dp_benchmarks
from tpsp.privacy.release_guard import GuardResult, apply_release_guard

GENERATED_FOLDERS = ("raw", "landing", "quarantine", "firm_quarantine", "secrets")


@dataclass
class DemoLayout:
    out: Path

    @property
    def raw(self) -> Path:
        return self.out / "raw"

    @property
    def landing(self) -> Path:
        return self.out / "landing"

    @property
    def quarantine(self) -> Path:
        return self.out / "quarantine"

    @property
    def firm_quarantine(self) -> Path:
        """Where each firm's anonymizer keeps the raw files it could not land (firm-side)."""
        return self.out / "firm_quarantine"

    @property
    def secrets(self) -> Path:
        return self.out / "secrets"

    @property
    def warehouse(self) -> Path:
        return self.out / "tpsp.duckdb"

    @property
    def truth(self) -> Path:
        return self.out / "truth.json"


@dataclass
class DemoResult:
    layout: DemoLayout
    anonymized: list[AnonymizeReport] = field(default_factory=list)
    gate: GateReport | None = None
    build: DbtResult | None = None
    dp_release: LedgerRow | None = None
    release_guard: GuardResult | None = None


def demo_secret(seed: int, firm_slug: str) -> bytes:
    """Each demo firm's secret is derived from the seed, so that the demo is reproducible.

    Real firms generate a random secret once and keep it; nothing else about the pipeline
    depends on how the secret was made.
    """
    return hashlib.sha256(f"tpsp-demo-secret:{seed}:{firm_slug}".encode()).hexdigest().encode()


def write_secret(path: Path, secret: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(secret + b"\n")
    path.chmod(0o600)


def add_pseudonyms_to_truth(truth_path: Path, secrets: dict[str, bytes]) -> None:
    """Name every planted team by the pseudonym under which it appears in the marts."""
    truth = json.loads(truth_path.read_text())
    for section in (
        "spikes",
        "outlier_teams",
        "gaming_teams",
        "adoption",
        "unpriced_models",
        "decoys",
    ):
        for case in truth.get(section, []):
            if "raw_team" in case and case.get("raw_firm") in secrets:
                case["team_id"] = team_pseudonym(secrets[case["raw_firm"]], case["raw_team"])
    # a team below min_team_size appears only inside its firm's small_teams bucket
    for case in truth.get("small_teams", []):
        if case.get("raw_firm") in secrets:
            case["team_id"] = team_pseudonym(secrets[case["raw_firm"]], "small_teams")
    truth_path.write_text(json.dumps(truth, indent=2, sort_keys=True) + "\n")


def run_demo(
    out: Path,
    firms: int = 6,
    days: int = 120,
    seed: int = 7,
    progress: Callable[[str], None] = lambda message: None,
    dp_epsilon: float | None = None,
) -> DemoResult:
    layout = DemoLayout(out)
    for folder in GENERATED_FOLDERS:
        shutil.rmtree(out / folder, ignore_errors=True)
    result = DemoResult(layout)

    progress(f"generate: {firms} firms x {days} days of raw vendor exports (seed {seed})")
    generated = generate(out, firms=firms, days=days, seed=seed)

    secrets: dict[str, bytes] = {}
    for firm_dir in generated.firm_dirs:
        secret = demo_secret(seed, firm_dir.name)
        secrets[firm_dir.name] = secret
        write_secret(layout.secrets / f"{firm_dir.name}.key", secret)
        progress(f"anonymize: {firm_dir.name}")
        result.anonymized.append(
            anonymize_firm(firm_dir, secret, layout.landing, quarantine=layout.firm_quarantine)
        )
    add_pseudonyms_to_truth(generated.truth_path, secrets)

    progress("gate: Great Expectations suites on every landed file")
    result.gate = run_gates(layout.landing, layout.quarantine)

    progress("build: dbt build (staging → intermediate → marts, with tests)")
    # the landing zone is new, so the incremental tables are rebuilt whole, not extended
    result.build = run_dbt(
        ["build", "--full-refresh"], layout.landing, layout.warehouse, dp_epsilon=dp_epsilon
    )
    if result.build.succeeded:
        # before any DP release: the guard decides on the exact firm sets
        progress("release guard: cells whose firms changed by fewer than k since last published")
        result.release_guard = apply_release_guard(layout.warehouse)
    if dp_epsilon is not None and result.build.succeeded:
        progress(f"release: differentially private benchmarks, epsilon {dp_epsilon} per statistic")
        result.dp_release = release_dp_benchmarks(layout.warehouse, dp_epsilon)
    return result
