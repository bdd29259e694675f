"""The firm-side quarantine: raw files the anonymizer could not land, kept with a reason.

``<quarantine>/<firm_id>/<path in the firm folder>`` holds a copy of the raw file (the firm's
original stays where it was) and ``<name>.reason.json`` beside it, with the same keys as the
warehouse's quarantine reasons. This folder stays on the firm's machine: it holds raw data.
A symbolic link is kept as a link, never followed; a name that could be read as a path is
kept under a safe name.
"""

import hashlib
import json
import os
import re
import shutil
from pathlib import Path

from tpsp.anonymize.report import SkippedFile
from tpsp.source_kinds import SOURCE_KINDS

REASON_SUFFIX = ".reason.json"
_UNSAFE_PART = re.compile(r"[^A-Za-z0-9._ ()+=@-]+|\.\.")


def safe_part(name: str) -> str:
    """A path component that stays one component: unsafe runs replaced, a hash appended."""
    cleaned = _UNSAFE_PART.sub("_", name).strip(" .") or "file"
    if cleaned == name:
        return name
    return f"{cleaned}-{hashlib.sha256(name.encode('utf-8', 'surrogateescape')).hexdigest()[:8]}"


def quarantine_raw(
    quarantine: Path, firm_id: str, firm_dir: Path, skipped: SkippedFile
) -> SkippedFile:
    """Copy the skipped file (or folder) into the quarantine with its reason.json."""
    parts = [safe_part(part) for part in skipped.path.parts]
    target = quarantine.joinpath(firm_id, *parts)
    target.parent.mkdir(parents=True, exist_ok=True)
    source = firm_dir / skipped.path
    if target.is_symlink() or target.is_file():
        target.unlink()
    elif target.is_dir():
        shutil.rmtree(target)
    if source.is_symlink():
        os.symlink(os.readlink(source), target)
    elif source.is_dir():
        shutil.copytree(source, target, symlinks=True)
    elif source.is_file():
        shutil.copyfile(source, target)
    kind = skipped.path.parts[0] if len(skipped.path.parts) > 1 else None
    reason = {
        "file": skipped.path.as_posix(),
        "firm_id": firm_id,
        "source_kind": kind if kind in SOURCE_KINDS else None,
        "date": None,
        "suite": None,
        "reason_code": skipped.code,
        "message": skipped.message(),
        "failed_expectations": [],
    }
    reason_path = target.with_name(target.name + REASON_SUFFIX)
    reason_path.write_text(json.dumps(reason, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return SkippedFile(skipped.path, skipped.reason, skipped.code, quarantine_path=target)
