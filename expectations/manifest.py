"""Landed files checked against their firm's export manifest, before any suite reads them.

The anonymizer lists every file it lands, with its SHA-256, in
``<firm_id>/export_manifest.json``. A landed file the manifest does not list, or whose bytes
differ from its entry, is not what the firm's anonymizer wrote (edited, damaged in transit,
or added by hand), so it is quarantined whatever its content. A firm folder without a
readable manifest has all its files quarantined: nothing in it can be told apart from a
stray file. Entries whose file is absent are fine: quarantined, deleted by retention, or
not delivered yet.
"""

import hashlib
from dataclasses import dataclass
from pathlib import Path

from tpsp.anonymize.manifest import (
    MANIFEST_FILE,
    ExportManifest,
    ManifestError,
    read_manifest,
)

MANIFEST_MISSING = "manifest_missing"
MANIFEST_MALFORMED = "manifest_malformed"
MANIFEST_MISMATCH = "manifest_mismatch"
NOT_IN_MANIFEST = "not_in_manifest"
_RESEND = "the firm re-runs tpsp anonymize for that day and sends its folder with the manifest"


@dataclass(frozen=True)
class FirmManifest:
    """A firm's manifest, or why there is none to check against (a code and a message)."""

    firm_id: str
    manifest: ExportManifest | None
    problem: tuple[str, str] | None = None


def load_firm_manifest(landing: Path, firm_id: str) -> FirmManifest:
    path = landing / firm_id / MANIFEST_FILE
    name = f"{firm_id}/{MANIFEST_FILE}"
    if path.is_symlink() or not path.is_file():
        what = "is a symbolic link" if path.is_symlink() else "is missing"
        return FirmManifest(
            firm_id,
            None,
            (MANIFEST_MISSING, f"{name} {what}: the firm's files cannot be verified"),
        )
    try:
        return FirmManifest(firm_id, read_manifest(path, firm_id))
    except ManifestError as exc:
        return FirmManifest(firm_id, None, (MANIFEST_MALFORMED, f"{name} {exc}"))


def manifest_problem(firm: FirmManifest, relative: Path, path: Path) -> tuple[str, str] | None:
    """Why the landed file at ``path`` (``relative`` to the landing) fails its firm's
    manifest, or None when its bytes are those the manifest lists."""
    name = relative.as_posix()
    if firm.manifest is None:
        assert firm.problem is not None
        code, message = firm.problem
        return code, f"{name} cannot be verified: {message}"
    entry = firm.manifest.files.get(Path(*relative.parts[1:]).as_posix())
    if entry is None:
        return NOT_IN_MANIFEST, (
            f"{name} is not listed in {firm.firm_id}/{MANIFEST_FILE}: the firm's anonymizer "
            f"did not land it; {_RESEND}"
        )
    with path.open("rb") as handle:
        digest = hashlib.file_digest(handle, "sha256").hexdigest()
    if digest != entry.sha256:
        return MANIFEST_MISMATCH, (
            f"{name} does not match {firm.firm_id}/{MANIFEST_FILE}: its sha256 is {digest}, "
            f"the manifest lists {entry.sha256} (changed or damaged after export); {_RESEND}"
        )
    return None
