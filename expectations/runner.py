"""Run the landing-zone gates and quarantine the files that fail them.

``run_gates(landing, quarantine)`` finds every landed file
``<firm_id>/<source_kind>/<YYYY-MM-DD>/<file>``, flattens it with its kind's suite module,
and validates all files of one kind as one Great Expectations batch (a ``_file``
column tells the rows apart). Failing rows are mapped back to their files; table-level
expectations (columns present, at least one row) are evaluated per file. A failing file moves
to ``<quarantine>/<firm_id>/<source_kind>/<date>/<file>`` with ``<file>.reason.json`` beside
it; the run continues with the rest.

Before any suite runs, the landing itself is checked, because whatever a firm sends ends up
here: a symbolic link is moved out without being followed; a name that could be read as a
path (``..``, a backslash, a control or shell character) is moved out under a safe name; a
firm folder needs a valid ``firm.json`` naming it (a malformed one is moved out too, since the
warehouse reads every ``firm.json``); a file needs its kind's extension (or ``.parquet`` for
the kinds ``tpsp anonymize --format parquet`` writes in Parquet), at least one byte, UTF-8
text (or readable Parquet) and at most ``MAX_LANDED_BYTES``, and its bytes must be those its
firm's export manifest lists (``expectations.manifest``). A file that fails and has another
kind's shape is reported as landed in the wrong folder. Fields the landing contract does not
know are kept out of the warehouse by the typed landing views and reported as warnings.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import os
import re
import shutil
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import great_expectations as gx
import pandas as pd
from great_expectations.core.expectation_validation_result import (
    ExpectationValidationResult,
)
from great_expectations.data_context.types.base import (
    DataContextConfig,
    InMemoryStoreBackendDefaults,
    ProgressBarsConfig,
)
from great_expectations.expectations import Expectation

from expectations import checks
from expectations.flatten import FILE, PII, UNKNOWN_FIELDS
from expectations.manifest import (
    MANIFEST_MALFORMED,
    FirmManifest,
    load_firm_manifest,
    manifest_problem,
)
from expectations.suites import SUITES
from tpsp.anonymize.firm_json import validate_firm
from tpsp.anonymize.manifest import MANIFEST_FILE
from tpsp.anonymize.parquet import PARQUET_EXT, PARQUET_LAYOUTS
from tpsp.errors import InputError
from tpsp.pii import find_pii
from tpsp.source_kinds import SOURCE_KINDS

GATE_FAILED = "gate_failed"
UNPARSEABLE = "unparseable"
UNKNOWN_SOURCE_KIND = "unknown_source_kind"
MISPLACED = "misplaced"
WRONG_SOURCE_KIND = "wrong_source_kind"
EMPTY_FILE = "empty_file"
BAD_ENCODING = "bad_encoding"
UNEXPECTED_EXTENSION = "unexpected_extension"
TOO_LARGE = "too_large"
UNSAFE_NAME = "unsafe_name"
SYMLINK = "symlink"
FIRM_JSON_MISSING = "firm_json_missing"
FIRM_JSON_MALFORMED = "firm_json_malformed"
AUDIT_MALFORMED = "landing_audit_malformed"
UNKNOWN_FIELDS_WARNING = "unknown_fields"

FIRM_FILE = "firm.json"
AUDIT_FILE = "landing_audit.jsonl"
REASON_SUFFIX = ".reason.json"
# Landed files are one firm's records of one kind and day, team-level: far below this.
MAX_LANDED_BYTES = 512 * 1024 * 1024
# A name the landing zone accepts: the anonymizer writes nothing else.
SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$")
DATE_FOLDER = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_UNSAFE_PART = re.compile(r"[^A-Za-z0-9._-]+|\.\.")
_FRIENDLY = {
    checks.RECORD_DAY: "dated before 2020 or in the future",
    checks.LATEST_DAY: "a timestamp in the future",
    checks.TOKENS_PER_CALL: f"over {checks.MAX_TOKENS_PER_CALL:,} tokens in one call",
    "_dropped_fields": "fields the contract drops are still there",
    "_uncached_input_tokens": "cached tokens exceed the input they are part of",
}
MAX_EXAMPLES = 5
RESULT_FORMAT = {"result_format": "COMPLETE", "return_unexpected_index_query": False}
_COLUMN_KWARGS = ("column", "column_A", "column_B")
_TABLE_EXPECTATIONS = (
    gx.expectations.ExpectTableColumnsToMatchSet,
    gx.expectations.ExpectTableRowCountToBeBetween,
    gx.expectations.ExpectColumnToExist,
)


@dataclass(frozen=True)
class QuarantinedFile:
    path: Path  # relative to the landing folder: firm_id/source_kind/date/file
    quarantine_path: Path
    reason_code: str  # gate_failed, unparseable, wrong_source_kind, symlink, ... (see above)
    message: str  # one line naming the file and what failed


@dataclass(frozen=True)
class GateWarning:
    path: Path  # relative to the landing folder
    code: str  # unknown_fields
    message: str  # one line naming the file


@dataclass
class GateReport:
    passed: list[Path] = field(default_factory=list)  # relative to the landing folder
    quarantined: list[QuarantinedFile] = field(default_factory=list)
    warnings: list[GateWarning] = field(default_factory=list)

    @property
    def any_passed(self) -> bool:
        return bool(self.passed)

    def summary(self) -> str:
        warned = f", {len(self.warnings)} with warnings" if self.warnings else ""
        return (
            f"{len(self.passed)} landed files passed, {len(self.quarantined)} quarantined{warned}"
        )


@dataclass(frozen=True)
class LandedFile:
    path: Path
    relative: Path

    @property
    def firm_id(self) -> str:
        return self.relative.parts[0]

    @property
    def source_kind(self) -> str | None:
        return self.relative.parts[1] if len(self.relative.parts) > 2 else None

    @property
    def date(self) -> str | None:
        return self.relative.parts[2] if len(self.relative.parts) == 4 else None


# -- the gate -----------------------------------------------------------------------------


class Gate:
    """An ephemeral GX context holding one suite and validation definition per source kind.

    Besides its kind's rules, every suite gets the common bounds: records dated from 2020 to
    ``today`` + 1 day (UTC today by default) and no model call above the plausible maximum.
    """

    def __init__(self, today: date | None = None) -> None:
        self.today = today or datetime.now(UTC).date()
        latest = int((self.today + timedelta(days=1)).strftime("%Y%m%d"))
        config = DataContextConfig(
            analytics_enabled=False,
            progress_bars=ProgressBarsConfig(globally=False, metric_calculations=False),
            store_backend_defaults=InMemoryStoreBackendDefaults(),
        )
        context = gx.get_context(mode="ephemeral", project_config=config)
        source = context.data_sources.add_pandas("landing")
        self._validations: dict[str, gx.ValidationDefinition] = {}
        for kind, module in SUITES.items():
            built = module.build_suite()
            for expectation in checks.dated_between(latest) + checks.plausible_calls():
                built.add_expectation(expectation)
            suite = context.suites.add(built)
            batch = source.add_dataframe_asset(kind).add_batch_definition_whole_dataframe("files")
            self._validations[kind] = context.validation_definitions.add(
                gx.ValidationDefinition(name=kind, data=batch, suite=suite)
            )

    def suite_name(self, kind: str) -> str:
        return self._validations[kind].suite.name

    def check(self, kind: str, frames: Mapping[str, pd.DataFrame]) -> dict[str, list[dict]]:
        """Failed expectations per file name, for the flattened frames of one kind's files."""
        validation = self._validations[kind]
        expectations = validation.suite.expectations
        failures: dict[str, list[dict]] = defaultdict(list)
        for name, frame in frames.items():
            failures[name] += _table_failures(expectations, frame)
        batch = _batch(frames, _referenced_columns(expectations))
        if len(batch):
            missing = {name: set(batch) - set(frame) for name, frame in frames.items()}
            result = validation.run(
                batch_parameters={"dataframe": batch}, result_format=RESULT_FORMAT
            )
            for outcome in result.results:
                for name, failure in _row_failures(outcome, batch, missing):
                    failures[name].append(failure)
        return {
            name: sorted(found, key=lambda f: (f["expectation"], f["column"] or ""))
            for name, found in failures.items()
            if found
        }


def gate_frame(kind: str, df: pd.DataFrame, gate: Gate | None = None) -> list[dict[str, Any]]:
    """Failed expectations of a flattened frame, one dict per file and expectation.

    Rows are told apart by their ``_file`` column when present (one file otherwise); every
    file counts as having all of the frame's columns. Each dict holds ``file``,
    ``expectation``, ``column``, ``kwargs``, ``unexpected_count`` and ``examples``.
    """
    gate = gate or Gate()
    if FILE in df.columns:
        frames = {str(name): part.drop(columns=FILE) for name, part in df.groupby(FILE)}
    else:
        frames = {"<frame>": df}
    return [
        {"file": name, **failure}
        for name, found in sorted(gate.check(kind, frames).items())
        for failure in found
    ]


def _referenced_columns(expectations: Iterable[Expectation]) -> set[str]:
    columns: set[str] = set()
    for expectation in expectations:
        kwargs = expectation.configuration.kwargs
        columns.update(kwargs[key] for key in _COLUMN_KWARGS if kwargs.get(key))
        columns.update(kwargs.get("column_list") or [])
    return columns


def _batch(frames: Mapping[str, pd.DataFrame], columns: set[str]) -> pd.DataFrame:
    """All files' rows with their ``_file``; columns the suite needs but no file has are null."""
    parts = [frame.assign(**{FILE: name}) for name, frame in frames.items() if len(frame)]
    if not parts:
        return pd.DataFrame()
    batch = pd.concat(parts, ignore_index=True, sort=False)
    for column in sorted(columns - set(batch.columns)):
        batch[column] = pd.Series(None, index=batch.index, dtype=object)
    return batch


def _table_failures(expectations: Iterable[Expectation], frame: pd.DataFrame) -> list[dict]:
    """Table-level expectations evaluated on one file's frame."""
    failures = []
    for expectation in expectations:
        if isinstance(expectation, gx.expectations.ExpectTableRowCountToBeBetween):
            low, high = expectation.min_value, expectation.max_value
            if (low is not None and len(frame) < low) or (high is not None and len(frame) > high):
                failures.append(_failure(expectation, None, 1, [len(frame)]))
        elif len(frame) == 0:
            continue  # an empty file is reported by its row count alone
        elif isinstance(expectation, gx.expectations.ExpectTableColumnsToMatchSet):
            wanted = set(expectation.column_set or [])
            missing = sorted(wanted - set(frame.columns))
            if missing:
                failures.append(_failure(expectation, ",".join(missing), len(missing), missing))
        elif (
            isinstance(expectation, gx.expectations.ExpectColumnToExist)
            and expectation.column not in frame.columns
        ):
            failures.append(_failure(expectation, expectation.column, 1, [expectation.column]))
    return failures


def _row_failures(
    outcome: ExpectationValidationResult,
    batch: pd.DataFrame,
    missing: Mapping[str, set[str]],
) -> list[tuple[str, dict]]:
    """A row-level expectation's failures, mapped back to the files its rows came from."""
    expectation = outcome.expectation_config.to_domain_obj()
    if outcome.success or isinstance(expectation, _TABLE_EXPECTATIONS):
        return []
    columns = _columns_of(expectation)
    names = batch[FILE].to_numpy()
    if outcome.exception_info.get("raised_exception"):
        message = outcome.exception_info.get("exception_message") or "expectation raised"
        return [
            (name, _failure(expectation, _label(columns), 0, [message]))
            for name in sorted(set(names))
        ]
    rows_by_file: dict[str, list[int]] = defaultdict(list)
    for index in outcome.result.get("unexpected_index_list") or []:
        name = names[index]
        # A file lacking the column altogether is reported by the columns check instead.
        if not missing[name].intersection(columns):
            rows_by_file[name].append(index)
    return [
        (name, _failure(expectation, _label(columns), len(rows), _examples(batch, rows, columns)))
        for name, rows in rows_by_file.items()
    ]


def _columns_of(expectation: Expectation) -> list[str]:
    kwargs = expectation.configuration.kwargs
    columns = [kwargs[key] for key in _COLUMN_KWARGS if kwargs.get(key)]
    return columns + [column for column in kwargs.get("column_list") or [] if column != FILE]


def _label(columns: list[str]) -> str | None:
    return ",".join(columns) or None


def _examples(batch: pd.DataFrame, rows: list[int], columns: list[str]) -> list[Any]:
    """Up to five distinct failing values (a list of values when several columns)."""
    examples: list[Any] = []
    seen: set[str] = set()
    for index in rows:
        values = [_json_safe(batch.at[index, column]) for column in columns]
        example = values[0] if len(values) == 1 else values
        key = json.dumps(example, sort_keys=True)
        if key not in seen:
            seen.add(key)
            examples.append(example)
        if len(examples) == MAX_EXAMPLES:
            break
    return examples


def _failure(
    expectation: Expectation, column: str | None, count: int, examples: list[Any]
) -> dict[str, Any]:
    kwargs = {
        key: value
        for key, value in expectation.configuration.kwargs.items()
        if key not in ("batch_id",)
    }
    return {
        "expectation": expectation.expectation_type,
        "column": column,
        "kwargs": _json_safe(kwargs),
        "unexpected_count": count,
        "examples": _json_safe(examples[:MAX_EXAMPLES]),
    }


def _json_safe(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(key): _json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set):
        return [_json_safe(item) for item in value]
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()  # numpy scalars
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, str | int | float | bool):
        return value
    return str(value)


# -- the run ------------------------------------------------------------------------------


def run_gates(
    landing: Path,
    quarantine: Path,
    *,
    gate: Gate | None = None,
    firm_ids: Collection[str] | None = None,
    require_firm_profile: bool | None = None,
    today: date | None = None,
) -> GateReport:
    """Gate every landed file; move failing ones to the quarantine with a reason.json.

    ``gate`` lets several runs share one set of built suites; a new one is built otherwise
    (for ``today``, UTC today by default). ``firm_ids`` limits the run to those firms'
    folders (an orchestrator gates per firm). A firm folder without ``firm.json`` has its
    files quarantined when ``require_firm_profile`` is true, which is the default when the
    whole landing is gated; an orchestrator gating files staged without their ``firm.json``
    leaves it off. A malformed ``firm.json`` is always moved out, with the firm's files.
    """
    landing, quarantine = Path(landing), Path(quarantine)
    if not landing.is_dir():
        raise InputError(f"landing folder not found: {landing}")
    if require_firm_profile is None:
        require_firm_profile = firm_ids is None
    report = GateReport()
    gate = gate or Gate(today=today)
    scan = scan_landing(landing)
    wanted = [firm for firm in scan.firms if firm_ids is None or firm in firm_ids]
    firm_problems = {
        firm: _check_firm(report, quarantine, landing, firm, require_firm_profile)
        for firm in wanted
    }
    manifests = {firm: _firm_manifest(report, quarantine, landing, firm) for firm in wanted}
    by_batch: dict[str, list[LandedFile]] = defaultdict(list)
    for landed in scan.links + scan.files:
        if firm_ids is not None and landed.firm_id not in firm_ids:
            continue
        problem = _precheck(landed, firm_problems.get(landed.firm_id))
        if problem is None:  # the file is checked against the manifest before it is read
            problem = manifest_problem(manifests[landed.firm_id], landed.relative, landed.path)
        if problem is not None:
            code, message = problem
            _quarantine(report, quarantine, landed, code, message, _suite_of(gate, landed))
        else:
            by_batch[str(landed.source_kind)].append(landed)
    for kind, files in sorted(by_batch.items()):
        _gate_batch(report, gate, quarantine, kind, files)
    _remove_empty_day_folders(landing, report.quarantined)
    report.passed.sort()
    report.quarantined.sort(key=lambda item: item.path)
    report.warnings.sort(key=lambda item: item.path)
    return report


# -- the landing zone -----------------------------------------------------------------------


@dataclass
class LandingScan:
    firms: list[str] = field(default_factory=list)  # firm folders
    files: list[LandedFile] = field(default_factory=list)  # regular files, sorted
    links: list[LandedFile] = field(default_factory=list)  # symbolic links, never followed


def _hidden(name: str) -> bool:
    """A dot file or folder (``.DS_Store``, an orchestrator's staging folder); a name starting
    with ``..`` is not hidden but unsafe, and is gated as such."""
    return name.startswith(".") and not name.startswith("..")


def _is_landed_data(relative: Path) -> bool:
    """Not hidden, inside a firm folder, and not the firm's profile, audit or manifest."""
    if any(_hidden(part) for part in relative.parts) or len(relative.parts) < 2:
        return False
    return relative.parts[1:] not in ((FIRM_FILE,), (AUDIT_FILE,), (MANIFEST_FILE,))


def scan_landing(landing: Path) -> LandingScan:
    """The landing's firm folders, landed files and symbolic links, without following any
    link (a link could point anywhere on the warehouse's machine)."""
    scan = LandingScan()
    for root, dirs, names in os.walk(landing, followlinks=False):
        here = Path(root)
        dirs[:] = sorted(name for name in dirs if not _hidden(name))
        for name in [*dirs, *names]:
            path = here / name
            relative = path.relative_to(landing)
            if path.is_symlink():
                if name in dirs:
                    dirs.remove(name)
                if not _hidden(name):
                    scan.links.append(LandedFile(path=path, relative=relative))
            elif name in names and _is_landed_data(relative):
                scan.files.append(LandedFile(path=path, relative=relative))
        if here == landing:
            scan.firms = list(dirs)
    scan.files.sort(key=lambda item: item.relative)
    scan.links.sort(key=lambda item: item.relative)
    return scan


def discover(landing: Path) -> list[LandedFile]:
    """Every landed file under ``landing``, sorted; each firm's ``firm.json`` and
    ``landing_audit.jsonl``, hidden files and symbolic links excluded."""
    return scan_landing(landing).files


def _check_firm(
    report: GateReport, quarantine: Path, landing: Path, firm: str, require_profile: bool
) -> tuple[str, str] | None:
    """What is wrong with a firm folder as a whole (its name or ``firm.json``), if anything;
    a malformed ``firm.json`` or ``landing_audit.jsonl`` is moved to the quarantine."""
    folder = landing / firm
    if not SAFE_NAME.match(firm):
        return UNSAFE_NAME, f"firm folder {firm!r} is not a safe name"
    profile = folder / FIRM_FILE
    audit = folder / AUDIT_FILE
    if audit.is_file() and not audit.is_symlink():
        problem = _audit_problem(audit)
        if problem:
            moved = LandedFile(audit, audit.relative_to(landing))
            _quarantine(
                report, quarantine, moved, AUDIT_MALFORMED, f"{firm}/{AUDIT_FILE} {problem}"
            )
    if profile.is_symlink() or not profile.exists():
        if not require_profile:
            return None
        what = "is a symbolic link" if profile.is_symlink() else "is missing"
        return FIRM_JSON_MISSING, f"{firm}/{FIRM_FILE} {what}: the firm's files cannot be placed"
    problem = _profile_problem(profile, firm)
    if problem is None:
        return None
    message = f"{firm}/{FIRM_FILE} is malformed: {problem}"
    _quarantine(
        report,
        quarantine,
        LandedFile(profile, profile.relative_to(landing)),
        FIRM_JSON_MALFORMED,
        message,
    )
    return FIRM_JSON_MALFORMED, message


def _firm_manifest(report: GateReport, quarantine: Path, landing: Path, firm: str) -> FirmManifest:
    """The firm's export manifest; a malformed one is moved to the quarantine, like a
    malformed ``firm.json``, and every file of the firm fails with it."""
    loaded = load_firm_manifest(landing, firm)
    path = landing / firm / MANIFEST_FILE
    if loaded.problem is not None and loaded.problem[0] == MANIFEST_MALFORMED:
        code, message = loaded.problem
        _quarantine(report, quarantine, LandedFile(path, path.relative_to(landing)), code, message)
    return loaded


def _profile_problem(profile: Path, firm: str) -> str | None:
    try:
        validated = validate_firm(json.loads(profile.read_text(encoding="utf-8-sig")))
    except (OSError, UnicodeDecodeError, ValueError, InputError) as exc:
        return _one_line(exc)
    if validated["firm_id"] != firm:
        return f"its firm_id {validated['firm_id']!r} is not the folder's name"
    return None


def _audit_problem(audit: Path) -> str | None:
    try:
        with audit.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if line.strip() and not isinstance(json.loads(line), dict):
                    return f"line {number} is not a JSON object"
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        return f"is not JSON lines: {_one_line(exc)}"
    return None


def _precheck(landed: LandedFile, firm_problem: tuple[str, str] | None) -> tuple[str, str] | None:
    """Why a landed file cannot be gated at all, checked before reading it, or None."""
    name = landed.relative.as_posix()
    if landed.path.is_symlink():
        return SYMLINK, f"{name} is a symbolic link; the landing zone holds files, never links"
    if not all(SAFE_NAME.match(part) for part in landed.relative.parts):
        return UNSAFE_NAME, (
            f"{_printable(name)} has an unsafe name: names hold letters, digits, '.', '_' "
            "and '-' only, never '..'"
        )
    if firm_problem is not None:
        code, message = firm_problem
        return code, f"{name} belongs to a firm whose folder cannot be used: {message}"
    if landed.date is None or not DATE_FOLDER.match(landed.date):
        return MISPLACED, _misplaced(landed)
    if landed.source_kind not in SUITES:
        return UNKNOWN_SOURCE_KIND, _unknown(landed)
    size = landed.path.stat().st_size
    if size == 0:
        return EMPTY_FILE, f"{name} is empty (0 bytes)"
    expected = _landed_extensions(landed.source_kind)
    if not landed.path.name.endswith(tuple(f".{ext}" for ext in expected)):
        sniffed = _sniff(landed)
        if sniffed is not None:
            return sniffed
        return UNEXPECTED_EXTENSION, (
            f"{name} is not a {' or '.join(f'.{ext}' for ext in expected)} file, as "
            f"{landed.source_kind} files are landed (uncompressed)"
        )
    if size > MAX_LANDED_BYTES:
        return TOO_LARGE, (
            f"{name} is {size / 2**20:,.0f} MiB, over the {MAX_LANDED_BYTES // 2**20} MiB a "
            "landed file may hold: land one file per day and kind"
        )
    return None


def _landed_extensions(kind: str) -> tuple[str, ...]:
    """The kind's own extension, and Parquet's where the anonymizer can write it."""
    own = SOURCE_KINDS[kind].landed_ext
    return (own, PARQUET_EXT) if kind in PARQUET_LAYOUTS else (own,)


def _suite_of(gate: Gate, landed: LandedFile) -> str | None:
    return gate.suite_name(landed.source_kind) if landed.source_kind in SUITES else None


# -- wrong folders -------------------------------------------------------------------------


def _sample(path: Path) -> Any:
    """The file's first JSON document (a whole ``.json``, a ``.jsonl``'s first line) or its
    CSV header, for telling which kind's shape it has; None when it is neither."""
    try:
        with path.open(encoding="utf-8-sig", errors="strict") as handle:
            head = handle.read(1 << 20)
    except (OSError, UnicodeDecodeError):
        return None
    first = head.lstrip()[:1]
    if first in ("{", "["):
        try:
            return json.loads(head)
        except ValueError:
            line = head.split("\n", 1)[0]
            try:
                return json.loads(line)
            except ValueError:
                return None
    try:
        return next(csv.reader([head.split("\n", 1)[0]]))
    except (csv.Error, StopIteration):
        return None


def _sniff(landed: LandedFile) -> tuple[str, str] | None:
    """(wrong_source_kind, message) when the file has another kind's shape and not its own."""
    sample = _sample(landed.path)
    if sample is None or SUITES[landed.source_kind].looks_like(sample):
        return None
    others = [kind for kind, module in SUITES.items() if module.looks_like(sample)]
    if len(others) != 1:
        return None
    right = Path(landed.firm_id, others[0], str(landed.date)).as_posix()
    return WRONG_SOURCE_KIND, (
        f"{landed.relative.as_posix()} holds {others[0]} content, not {landed.source_kind}: "
        f"it belongs in {right}/"
    )


# -- gating ------------------------------------------------------------------------------


def _gate_batch(
    report: GateReport, gate: Gate, quarantine: Path, kind: str, files: list[LandedFile]
) -> None:
    module = SUITES[kind]
    frames: dict[str, pd.DataFrame] = {}
    by_name = {}
    for landed in files:
        try:
            frame = module.flatten(landed.path)
        except UnicodeDecodeError as exc:
            byte = exc.object[exc.start : exc.start + 1].hex() if exc.object else "?"
            message = (
                f"{landed.relative} is not UTF-8 text (invalid byte 0x{byte} at offset "
                f"{exc.start}); landed files are UTF-8"
            )
            _quarantine(report, quarantine, landed, BAD_ENCODING, message, gate.suite_name(kind))
            continue
        except (ValueError, OSError, csv.Error) as exc:
            sniffed = _sniff(landed)
            code, message = sniffed or (
                UNPARSEABLE,
                f"{landed.relative} is unparseable as {kind}: {_one_line(exc)}",
            )
            _quarantine(report, quarantine, landed, code, message, gate.suite_name(kind))
            continue
        name = landed.relative.as_posix()
        frames[name] = frame
        by_name[name] = landed
    failures = gate.check(kind, frames)
    for name, landed in by_name.items():
        if name not in failures:
            report.passed.append(landed.relative)
            _warn_unknown_fields(report, landed, frames[name])
            continue
        found = failures[name]
        sniffed = _sniff(landed) if _missing_columns(found) else None
        if sniffed is not None:
            code, message = sniffed
            _quarantine(report, quarantine, landed, code, message, gate.suite_name(kind), found)
            continue
        listed = ", ".join(
            f"{f['expectation']}({f['column']})" if f["column"] else f["expectation"] for f in found
        )
        counted = f"{len(found)} expectation{'s' if len(found) > 1 else ''}"
        why = "; ".join(sorted({_describe(f) for f in found} - {""}))
        message = f"{name} failed {counted} of {gate.suite_name(kind)}: {listed}"
        if why:
            message += f" ({why})"
        _quarantine(report, quarantine, landed, GATE_FAILED, message, gate.suite_name(kind), found)


def _missing_columns(found: list[dict]) -> bool:
    return any(f["expectation"] == "expect_table_columns_to_match_set" for f in found)


def _describe(failure: dict) -> str:
    """A few words on what a failed expectation means, where its column does not say it."""
    column = failure["column"] or ""
    if failure["expectation"] == "expect_compound_columns_to_be_unique":
        return "duplicate natural keys"
    for key, text in _FRIENDLY.items():
        if column.startswith(key) or column.endswith(key):
            return text
    if column == PII:
        kinds = {found[0] for e in failure["examples"] if (found := find_pii(str(e)))}
        return "holds " + " and ".join(sorted(kinds)) if kinds else "holds personal data"
    if column.endswith("__as_int") or column.endswith("__as_number"):
        return f"negative {column.rsplit('__', 1)[0]}"
    if failure["expectation"] == "expect_column_values_to_be_in_type_list":
        return f"{column} has the wrong type"
    if failure["expectation"] == "expect_table_columns_to_match_set":
        return f"missing required field {column}"
    if failure["expectation"] == "expect_column_values_to_not_be_null":
        return f"{column} is missing"
    return ""


def _warn_unknown_fields(report: GateReport, landed: LandedFile, frame: pd.DataFrame) -> None:
    if UNKNOWN_FIELDS not in frame:
        return
    fields = sorted(
        {name for value in frame[UNKNOWN_FIELDS].dropna() for name in str(value).split(",")}
    )
    if fields:
        listed = ", ".join(fields[:10]) + (" …" if len(fields) > 10 else "")
        report.warnings.append(
            GateWarning(
                landed.relative,
                UNKNOWN_FIELDS_WARNING,
                f"{landed.relative.as_posix()} has field(s) the landing contract does not know, "
                f"kept out of the warehouse: {listed}",
            )
        )


def _safe_relative(relative: Path) -> Path:
    """The path with every unsafe component replaced by a safe one (plus a short hash)."""
    parts = []
    for part in relative.parts:
        if SAFE_NAME.match(part):
            parts.append(part)
        else:
            digest = hashlib.sha256(part.encode("utf-8", "surrogateescape")).hexdigest()[:8]
            cleaned = _UNSAFE_PART.sub("_", part).strip("._-") or "file"
            parts.append(f"{cleaned}-{digest}")
    return Path(*parts)


def _printable(text: str) -> str:
    return text.encode("unicode_escape", "backslashreplace").decode("ascii")


def _quarantine(
    report: GateReport,
    quarantine: Path,
    landed: LandedFile,
    reason_code: str,
    message: str,
    suite: str | None = None,
    failed_expectations: list[dict] | None = None,
) -> None:
    target = quarantine / _safe_relative(landed.relative)
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.is_symlink() or target.is_file():
        target.unlink()
    shutil.move(landed.path, target)
    reason = {
        "file": _printable(landed.relative.as_posix()),
        "firm_id": landed.firm_id,
        "source_kind": landed.source_kind,
        "date": landed.date,
        "suite": suite,
        "reason_code": reason_code,
        "message": _one_line(message),
        "failed_expectations": failed_expectations or [],
    }
    reason_path = target.with_name(target.name + REASON_SUFFIX)
    reason_path.write_text(json.dumps(reason, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    report.quarantined.append(
        QuarantinedFile(landed.relative, target, reason_code, _one_line(message))
    )


def _remove_empty_day_folders(landing: Path, quarantined: Iterable[QuarantinedFile]) -> None:
    for folder in sorted({landing / item.path.parent for item in quarantined}, reverse=True):
        if folder != landing and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()


def _misplaced(landed: LandedFile) -> str:
    return (
        f"{landed.relative} is not at <firm_id>/<source_kind>/<YYYY-MM-DD>/<file> "
        "in the landing folder"
    )


def _unknown(landed: LandedFile) -> str:
    known = ", ".join(sorted(SUITES))
    return f"{landed.relative} has unknown source kind {landed.source_kind!r} (known: {known})"


def _one_line(exc: Exception | str) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__
