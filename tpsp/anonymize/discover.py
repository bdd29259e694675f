"""Finding the raw files of a firm folder and naming their landed files.

The walk never follows a symbolic link (a link could point anywhere on the firm's machine)
and refuses names that could be read as a path (``..``, a backslash, a control character):
both are reported as skipped files, never read.
"""

import hashlib
import os
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from tpsp.anonymize.io import raw_format, raw_stem
from tpsp.anonymize.report import SkippedFile
from tpsp.source_kinds import SOURCE_KINDS

# The firm's own files beside the export folders, read separately.
IGNORED_NAMES = frozenset({"firm.json", "org_map.csv"})
_UNSAFE = re.compile(r"\.\.|[\\\x00-\x1f\x7f]")
_NOT_LANDABLE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class RawFile:
    kind: str
    path: Path
    relative: Path  # to the firm folder
    fmt: str  # json, jsonl or csv
    stem: str  # the landed file name without extension, unique within the kind


def unsafe_name(name: str) -> bool:
    """A name holding ``..``, a backslash or a control character."""
    return bool(_UNSAFE.search(name))


def landable_stem(stem: str) -> str:
    """The stem with every run of characters outside ``[A-Za-z0-9._-]`` replaced by ``_``
    (``Linear export (2).csv`` lands as ``Linear_export_2_.csv``)."""
    cleaned = _NOT_LANDABLE.sub("_", stem).strip("._-")
    return cleaned or "export"


def _landed_stems(kind_dir: Path, files: list[Path]) -> dict[Path, str]:
    """Each file's stem; stems shared by several files (compared case-insensitively) get a
    suffix derived from the file's path inside the kind folder, so every name is unique and
    stable from run to run."""
    by_stem: dict[str, list[Path]] = defaultdict(list)
    for path in files:
        by_stem[landable_stem(raw_stem(path)).lower()].append(path)
    stems = {}
    for paths in by_stem.values():
        for path in paths:
            stem = landable_stem(raw_stem(path))
            if len(paths) > 1:
                relative = path.relative_to(kind_dir).as_posix()
                stem += "-" + hashlib.sha256(relative.encode("utf-8")).hexdigest()[:8]
            stems[path] = stem
    return stems


def _walk(folder: Path) -> tuple[list[Path], list[Path]]:
    """Regular files under ``folder`` and the symbolic links met, neither followed."""
    files: list[Path] = []
    links: list[Path] = []
    for root, dirs, names in os.walk(folder, followlinks=False):
        here = Path(root)
        for name in list(dirs):
            if (here / name).is_symlink():
                links.append(here / name)
                dirs.remove(name)
        for name in names:
            path = here / name
            (links if path.is_symlink() else files).append(path)
    return sorted(files), sorted(links)


def _skip(path: Path, reason: str, code: str) -> SkippedFile:
    return SkippedFile(path=path, reason=reason, code=code)


def discover(firm_dir: Path) -> tuple[list[RawFile], list[SkippedFile]]:
    """The raw files under ``<firm_dir>/<source_kind>/`` (recursively), in a stable order, and
    the folders and files that cannot be read as any source kind."""
    raw_files: list[RawFile] = []
    skipped: list[SkippedFile] = []
    for entry in sorted(firm_dir.iterdir()):
        relative = Path(entry.name)
        if entry.name in IGNORED_NAMES:
            continue
        if entry.is_symlink():
            skipped.append(_skip(relative, "a symbolic link; links are not followed", "symlink"))
            continue
        if not entry.is_dir() or entry.name.startswith("."):
            continue
        if entry.name not in SOURCE_KINDS:
            skipped.append(
                _skip(
                    relative,
                    f"folder {entry.name!r} is not a known source kind",
                    "unknown_source_kind",
                )
            )
            continue
        files, links = _walk(entry)
        for link in links:
            where = link.relative_to(firm_dir)
            skipped.append(_skip(where, "a symbolic link; links are not followed", "symlink"))
        safe = [path for path in files if not unsafe_name(path.relative_to(entry).as_posix())]
        readable = [path for path in safe if raw_format(path) is not None]
        stems = _landed_stems(entry, readable)
        for path in files:
            relative = path.relative_to(firm_dir)
            if path not in stems:
                if unsafe_name(path.relative_to(entry).as_posix()):
                    skipped.append(
                        _skip(
                            relative,
                            "the file name holds '..', a backslash or a control character; "
                            "refusing a name that could point outside its folder",
                            "unsafe_name",
                        )
                    )
                else:
                    skipped.append(
                        _skip(
                            relative,
                            "not a .json, .jsonl or .csv file (optionally .gz)",
                            "unsupported_extension",
                        )
                    )
                continue
            raw_files.append(RawFile(entry.name, path, relative, raw_format(path), stems[path]))
    return raw_files, skipped
