"""Notice new or replaced landing folders and gate exactly the affected firm and days.

The cursor keeps a short signature (name, size, modification time) of every landed file, by
firm, source kind and day. A file that is new or changed since the last tick marks its firm,
kind and day as affected; files that disappeared (a gate moving a failure to the quarantine,
retention) do not. Each affected firm gets one run of ``gate_landing`` for its partition,
limited to the affected source kinds and days; a firm folder seen for the first time adds a
dynamic partition and gates all its days.
"""

import base64
import hashlib
import json
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import dagster as dg

from orchestration.defs.landing.assets import GateLandingConfig, gate_landing_files
from orchestration.defs.landing.jobs import gate_landing_job
from orchestration.defs.landing.partitions import (
    FIRM_PARTITIONS_NAME,
    LANDING_KINDS,
    firm_partitions,
    gate_check_key,
    landing_key,
)
from orchestration.defs.warehouse.resources import TpspSettings

DAYS_TAG = "tpsp/days"
TRIGGER_TAG = "tpsp/trigger"
MAX_DAYS_IN_TAG = 5

# firm_id -> source_kind -> day -> sorted file signatures
LandingState = dict[str, dict[str, dict[str, list[str]]]]


@dataclass(frozen=True)
class FirmChange:
    firm_id: str
    kinds: tuple[str, ...]
    days: tuple[str, ...]  # empty: a new firm, gate every day
    digest: str


def scan_landing(landing: Path) -> LandingState:
    state: LandingState = {}
    for firm_folder in _folders(landing):
        kinds = state.setdefault(firm_folder.name, {})
        for kind_folder in _folders(firm_folder):
            for day_folder in _folders(kind_folder):
                signatures = sorted(
                    _signature(path)
                    for path in day_folder.iterdir()
                    if path.is_file() and not path.name.startswith(".")
                )
                if signatures:
                    kinds.setdefault(kind_folder.name, {})[day_folder.name] = signatures
    return state


def _folders(parent: Path) -> list[Path]:
    if not parent.is_dir():
        return []
    return sorted(p for p in parent.iterdir() if p.is_dir() and not p.name.startswith("."))


def _signature(path: Path) -> str:
    stat = path.stat()
    text = f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}"
    return hashlib.sha1(text.encode()).hexdigest()[:12]


def changes_since(previous: LandingState, current: LandingState) -> list[FirmChange]:
    """Firms with a new or changed file since ``previous``, with the kinds and days touched."""
    changes = []
    for firm_id, kinds in sorted(current.items()):
        before = previous.get(firm_id)
        touched: list[tuple[str, str, tuple[str, ...]]] = []
        for kind, days in sorted(kinds.items()):
            for day, signatures in sorted(days.items()):
                seen = set((before or {}).get(kind, {}).get(day, []))
                if set(signatures) - seen:
                    touched.append((kind, day, tuple(signatures)))
        if not touched:
            continue
        digest = hashlib.sha1(json.dumps(touched).encode()).hexdigest()[:16]
        changes.append(
            FirmChange(
                firm_id=firm_id,
                kinds=tuple(sorted({kind for kind, _, _ in touched})),
                days=() if before is None else tuple(sorted({day for _, day, _ in touched})),
                digest=digest,
            )
        )
    return changes


def encode_cursor(state: LandingState) -> str:
    packed = zlib.compress(json.dumps(state, sort_keys=True, separators=(",", ":")).encode())
    return base64.b64encode(packed).decode()


def decode_cursor(cursor: str | None) -> LandingState:
    if not cursor:
        return {}
    try:
        return json.loads(zlib.decompress(base64.b64decode(cursor)))
    except (ValueError, zlib.error):
        return {}


def gate_run_request(change: FirmChange) -> dg.RunRequest:
    kinds = [kind for kind in change.kinds if kind in LANDING_KINDS]
    return dg.RunRequest(
        run_key=f"{change.firm_id}:{change.digest}",
        partition_key=change.firm_id,
        asset_selection=[landing_key(kind) for kind in kinds],
        asset_check_keys=[gate_check_key(kind) for kind in kinds],
        run_config=dg.RunConfig(
            ops={gate_landing_files.op.name: GateLandingConfig(days=list(change.days))}
        ),
        tags={DAYS_TAG: _describe_days(change.days), TRIGGER_TAG: "landing_sensor"},
    )


def _describe_days(days: Iterable[str]) -> str:
    days = sorted(days)
    if not days:
        return "all"
    if len(days) <= MAX_DAYS_IN_TAG:
        return ",".join(days)
    return f"{days[0]}..{days[-1]} ({len(days)} days)"


@dg.sensor(
    job=gate_landing_job,
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Gates new or replaced landing day folders, one run per affected firm.",
)
def landing_sensor(context: dg.SensorEvaluationContext, tpsp: TpspSettings) -> dg.SensorResult:
    landing = tpsp.landing
    if not landing.is_dir():
        return dg.SensorResult(skip_reason=f"no landing folder at {landing}")
    previous = decode_cursor(context.cursor)
    current = scan_landing(landing)
    known = set(context.instance.get_dynamic_partitions(FIRM_PARTITIONS_NAME))
    new_firms = sorted(firm for firm in current if firm not in known)
    run_requests = []
    for change in changes_since(previous, current):
        unknown = sorted(set(change.kinds) - set(LANDING_KINDS))
        if unknown:
            context.log.warning(f"{change.firm_id}: no gate for source kinds {unknown}")
        if set(change.kinds) & set(LANDING_KINDS):
            run_requests.append(gate_run_request(change))
    return dg.SensorResult(
        run_requests=run_requests,
        dynamic_partitions_requests=(
            [firm_partitions.build_add_request(new_firms)] if new_firms else []
        ),
        cursor=encode_cursor(current),
        skip_reason=None if run_requests or new_firms else "no new or replaced landing folder",
    )
