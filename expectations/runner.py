"""Run the landing-zone gates and quarantine the files that fail them.

``run_gates(landing, quarantine)`` finds every landed file
``<firm_id>/<source_kind>/<YYYY-MM-DD>/<file>``, flattens it with its kind's suite module,
and validates all files of one firm and kind as one Great Expectations batch (a ``_file``
column tells the rows apart). Failing rows are mapped back to their files; table-level
expectations (columns present, at least one row) are evaluated per file. A failing file moves
to ``<quarantine>/<firm_id>/<source_kind>/<date>/<file>`` with ``<file>.reason.json`` beside
it; the run continues with the rest.
"""

from __future__ import annotations

import csv
import json
import math
import shutil
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
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

from expectations.flatten import FILE
from expectations.suites import SUITES
from tpsp.errors import InputError

GATE_FAILED = "gate_failed"
UNPARSEABLE = "unparseable"
UNKNOWN_SOURCE_KIND = "unknown_source_kind"
MISPLACED = "misplaced"

FIRM_FILE = "firm.json"
REASON_SUFFIX = ".reason.json"
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
    reason_code: str  # gate_failed, unparseable, unknown_source_kind or misplaced
    message: str  # one line naming the file and what failed


@dataclass
class GateReport:
    passed: list[Path] = field(default_factory=list)  # relative to the landing folder
    quarantined: list[QuarantinedFile] = field(default_factory=list)

    @property
    def any_passed(self) -> bool:
        return bool(self.passed)

    def summary(self) -> str:
        return f"{len(self.passed)} landed files passed, {len(self.quarantined)} quarantined"


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
    """An ephemeral GX context holding one suite and validation definition per source kind."""

    def __init__(self) -> None:
        config = DataContextConfig(
            analytics_enabled=False,
            progress_bars=ProgressBarsConfig(globally=False, metric_calculations=False),
            store_backend_defaults=InMemoryStoreBackendDefaults(),
        )
        context = gx.get_context(mode="ephemeral", project_config=config)
        source = context.data_sources.add_pandas("landing")
        self._validations: dict[str, gx.ValidationDefinition] = {}
        for kind, module in SUITES.items():
            suite = context.suites.add(module.build_suite())
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
) -> GateReport:
    """Gate every landed file; move failing ones to the quarantine with a reason.json.

    ``gate`` lets several runs share one set of built suites; a new one is built otherwise.
    ``firm_ids`` limits the run to those firms' folders (an orchestrator gates per firm).
    """
    landing, quarantine = Path(landing), Path(quarantine)
    if not landing.is_dir():
        raise InputError(f"landing folder not found: {landing}")
    report = GateReport()
    gate = gate or Gate()
    by_batch: dict[tuple[str, str], list[LandedFile]] = defaultdict(list)
    for landed in discover(landing):
        if firm_ids is not None and landed.firm_id not in firm_ids:
            continue
        if landed.date is None:
            _quarantine(report, quarantine, landed, MISPLACED, _misplaced(landed))
        elif landed.source_kind not in SUITES:
            _quarantine(report, quarantine, landed, UNKNOWN_SOURCE_KIND, _unknown(landed))
        else:
            by_batch[(landed.firm_id, landed.source_kind)].append(landed)
    for (_, kind), files in sorted(by_batch.items()):
        _gate_batch(report, gate, quarantine, kind, files)
    _remove_empty_day_folders(landing, report.quarantined)
    report.passed.sort()
    report.quarantined.sort(key=lambda item: item.path)
    return report


def discover(landing: Path) -> list[LandedFile]:
    """Every landed file under ``landing``, sorted; firm.json and hidden files excluded."""
    found = []
    for path in sorted(landing.rglob("*")):
        relative = path.relative_to(landing)
        if not path.is_file() or any(part.startswith(".") for part in relative.parts):
            continue
        if len(relative.parts) < 2 or relative.parts[1:] == (FIRM_FILE,):
            continue  # files beside the firm folders, and each firm's firm.json
        found.append(LandedFile(path=path, relative=relative))
    return found


def _gate_batch(
    report: GateReport, gate: Gate, quarantine: Path, kind: str, files: list[LandedFile]
) -> None:
    module = SUITES[kind]
    frames: dict[str, pd.DataFrame] = {}
    by_name = {}
    for landed in files:
        try:
            frame = module.flatten(landed.path)
        except (ValueError, OSError, csv.Error) as exc:
            message = f"{landed.relative} is unparseable as {kind}: {_one_line(exc)}"
            _quarantine(report, quarantine, landed, UNPARSEABLE, message, gate.suite_name(kind))
            continue
        name = landed.relative.as_posix()
        frames[name] = frame
        by_name[name] = landed
    failures = gate.check(kind, frames)
    for name, landed in by_name.items():
        if name not in failures:
            report.passed.append(landed.relative)
            continue
        found = failures[name]
        listed = ", ".join(
            f"{f['expectation']}({f['column']})" if f["column"] else f["expectation"] for f in found
        )
        counted = f"{len(found)} expectation{'s' if len(found) > 1 else ''}"
        message = f"{name} failed {counted} of {gate.suite_name(kind)}: {listed}"
        _quarantine(report, quarantine, landed, GATE_FAILED, message, gate.suite_name(kind), found)


def _quarantine(
    report: GateReport,
    quarantine: Path,
    landed: LandedFile,
    reason_code: str,
    message: str,
    suite: str | None = None,
    failed_expectations: list[dict] | None = None,
) -> None:
    target = quarantine / landed.relative
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        target.unlink()
    shutil.move(landed.path, target)
    reason = {
        "file": landed.relative.as_posix(),
        "firm_id": landed.firm_id,
        "source_kind": landed.source_kind,
        "date": landed.date,
        "suite": suite,
        "reason_code": reason_code,
        "message": message,
        "failed_expectations": failed_expectations or [],
    }
    reason_path = target.with_name(target.name + REASON_SUFFIX)
    reason_path.write_text(json.dumps(reason, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    report.quarantined.append(QuarantinedFile(landed.relative, target, reason_code, message))


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


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__
