"""Writing landed files: a day folder this run writes is replaced as a whole."""

import shutil
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class LandedFile:
    kind: str
    day: date
    name: str  # "<stem>.<ext>"
    content: Any  # the in-memory document, for the leak scan
    data: bytes  # the serialized bytes that are written


def day_folder(firm_landing: Path, kind: str, day: date) -> Path:
    return firm_landing / kind / day.isoformat()


def write_landing(
    firm_landing: Path, files: list[LandedFile], firm_json: bytes
) -> tuple[list[Path], list[Path]]:
    """Write ``firm.json`` and the files, each day folder replaced as a whole; return the
    written files and the day folders that existed before and were replaced."""
    by_folder: dict[Path, list[LandedFile]] = defaultdict(list)
    for landed in files:
        by_folder[day_folder(firm_landing, landed.kind, landed.day)].append(landed)

    firm_landing.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    replaced: list[Path] = []
    for folder in sorted(by_folder):
        if folder.exists():
            replaced.append(folder)
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        for landed in sorted(by_folder[folder], key=lambda item: item.name):
            target = folder / landed.name
            target.write_bytes(landed.data)
            written.append(target)
    (firm_landing / "firm.json").write_bytes(firm_json)
    return written, replaced
