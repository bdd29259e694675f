"""Writing landed files: a day folder this run writes is replaced as a whole, and recorded.

A firm re-sending a day (a corrected re-export) replaces that firm/source/day folder, so the
warehouse holds exactly one version of it. Every replacement that changes the folder's
content is appended to ``<firm_id>/landing_audit.jsonl``: which files were there before and
which replaced them, each with its SHA-256. The audit is deterministic (a sequence number,
no clock) and names only landed files, which are already anonymized.
"""

import hashlib
import json
import shutil
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

AUDIT_FILE = "landing_audit.jsonl"


@dataclass(frozen=True)
class LandedFile:
    kind: str
    day: date
    name: str  # "<stem>.<ext>"
    content: Any  # the in-memory document, for the leak scan
    data: bytes  # the serialized bytes that are written


def day_folder(firm_landing: Path, kind: str, day: date) -> Path:
    return firm_landing / kind / day.isoformat()


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _folder_files(folder: Path) -> list[dict[str, str]]:
    return [
        {"name": path.name, "sha256": _digest(path.read_bytes())}
        for path in sorted(folder.iterdir())
        if path.is_file() and not path.is_symlink()
    ]


def _audit_sequence(audit: Path) -> int:
    if not audit.is_file():
        return 0
    with audit.open(encoding="utf-8") as handle:
        return sum(1 for line in handle if line.strip())


def write_landing(
    firm_landing: Path,
    files: list[LandedFile],
    firm_json: bytes,
    anonymizer_version: str = "",
) -> tuple[list[Path], list[Path]]:
    """Write ``firm.json`` and the files, each day folder replaced as a whole; return the
    written files and the day folders that existed before and were replaced."""
    by_folder: dict[Path, list[LandedFile]] = defaultdict(list)
    for landed in files:
        by_folder[day_folder(firm_landing, landed.kind, landed.day)].append(landed)

    firm_landing.mkdir(parents=True, exist_ok=True)
    audit = firm_landing / AUDIT_FILE
    sequence = _audit_sequence(audit)
    audit_lines: list[str] = []
    written: list[Path] = []
    replaced: list[Path] = []
    for folder in sorted(by_folder):
        landed_files = sorted(by_folder[folder], key=lambda item: item.name)
        new = [{"name": item.name, "sha256": _digest(item.data)} for item in landed_files]
        if folder.exists():
            replaced.append(folder)
            old = _folder_files(folder) if folder.is_dir() else []
            if old != new:
                sequence += 1
                record = {
                    "sequence": sequence,
                    "firm_id": firm_landing.name,
                    "source_kind": folder.parent.name,
                    "export_date": folder.name,
                    "replaced_files": old,
                    "landed_files": new,
                    "anonymizer_version": anonymizer_version,
                }
                audit_lines.append(json.dumps(record, sort_keys=True, separators=(",", ":")))
            if folder.is_dir() and not folder.is_symlink():
                shutil.rmtree(folder)
            else:
                folder.unlink()
        folder.mkdir(parents=True)
        for landed in landed_files:
            target = folder / landed.name
            target.write_bytes(landed.data)
            written.append(target)
    (firm_landing / "firm.json").write_bytes(firm_json)
    if audit_lines:
        with audit.open("a", encoding="utf-8") as handle:
            handle.write("".join(line + "\n" for line in audit_lines))
    return written, replaced
