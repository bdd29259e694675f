"""Finding the raw files of a firm folder and naming their landed files."""

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from tpsp.anonymize.io import raw_format, raw_stem
from tpsp.anonymize.report import SkippedFile
from tpsp.source_kinds import SOURCE_KINDS


@dataclass(frozen=True)
class RawFile:
    kind: str
    path: Path
    relative: Path  # to the firm folder
    fmt: str  # json, jsonl or csv
    stem: str  # the landed file name without extension, unique within the kind


def _landed_stems(kind_dir: Path, files: list[Path]) -> dict[Path, str]:
    """Each file's stem; stems shared by several files (compared case-insensitively) get a
    suffix derived from the file's path inside the kind folder, so every name is unique and
    stable from run to run."""
    by_stem: dict[str, list[Path]] = defaultdict(list)
    for path in files:
        by_stem[raw_stem(path).lower()].append(path)
    stems = {}
    for paths in by_stem.values():
        for path in paths:
            stem = raw_stem(path)
            if len(paths) > 1:
                relative = path.relative_to(kind_dir).as_posix()
                stem += "-" + hashlib.sha256(relative.encode("utf-8")).hexdigest()[:8]
            stems[path] = stem
    return stems


def discover(firm_dir: Path) -> tuple[list[RawFile], list[SkippedFile]]:
    """The raw files under ``<firm_dir>/<source_kind>/`` (recursively), in a stable order, and
    the folders and files that cannot be read as any source kind."""
    raw_files: list[RawFile] = []
    skipped: list[SkippedFile] = []
    for entry in sorted(firm_dir.iterdir()):
        if not entry.is_dir():
            continue
        if entry.name not in SOURCE_KINDS:
            skipped.append(
                SkippedFile(
                    path=Path(entry.name),
                    reason=f"folder {entry.name!r} is not a known source kind",
                    code="unknown_source_kind",
                )
            )
            continue
        files = sorted(path for path in entry.rglob("*") if path.is_file())
        readable = [path for path in files if raw_format(path) is not None]
        stems = _landed_stems(entry, readable)
        for path in files:
            relative = path.relative_to(firm_dir)
            fmt = raw_format(path)
            if fmt is None:
                skipped.append(
                    SkippedFile(
                        path=relative,
                        reason="not a .json, .jsonl or .csv file (optionally .gz)",
                        code="unsupported_extension",
                    )
                )
                continue
            raw_files.append(RawFile(entry.name, path, relative, fmt, stems[path]))
    return raw_files, skipped
