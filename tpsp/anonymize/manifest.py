"""``<firm_id>/export_manifest.json``: what the firm's anonymizer landed, for the warehouse to
verify.

One manifest per firm folder lists every landed data file (``<source_kind>/<date>/<file>``)
with its SHA-256 and record count, and the rules it was made with (anonymizer version, hour
flooring, minimum team size, allow-lists fingerprint, ...). A run rewrites the entries of
the day folders it replaces and keeps the others, the way it keeps their folders: the
manifest always describes the firm's whole landing, however many runs wrote it. It holds
no clock time, so the same export gives the same bytes.

The warehouse's gates quarantine a landed file missing from the manifest or whose bytes do
not match its entry. The manifest catches files changed, damaged or added after the export;
it is not a signature (the firm's secret never leaves the firm).
"""

import hashlib
import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tpsp
from tpsp.anonymize.allow_lists import allow_lists_version
from tpsp.anonymize.hashing import HEX_LENGTH
from tpsp.anonymize.org_map import SMALL_TEAMS, UNASSIGNED

MANIFEST_FILE = "export_manifest.json"
MANIFEST_VERSION = 1
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SAFE_PART = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$")


class ManifestError(ValueError):
    """A manifest that cannot be used; the message is one line naming what is wrong."""


@dataclass(frozen=True)
class ManifestEntry:
    path: str  # <source_kind>/<YYYY-MM-DD>/<file>, relative to the firm folder
    sha256: str
    rows: int  # records at the kind's natural-key grain
    rules: str  # the key of the rule set it was made with

    @property
    def day_folder(self) -> str:
        return self.path.rsplit("/", 1)[0]


@dataclass
class ExportManifest:
    firm_id: str
    files: dict[str, ManifestEntry] = field(default_factory=dict)  # by path
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)  # by rule set key

    def to_bytes(self) -> bytes:
        document = {
            "manifest_version": MANIFEST_VERSION,
            "firm_id": self.firm_id,
            "files": [
                {"path": e.path, "sha256": e.sha256, "rows": e.rows, "rules": e.rules}
                for _, e in sorted(self.files.items())
            ],
            "rules": self.rules,
        }
        return (json.dumps(document, indent=2, sort_keys=True) + "\n").encode("utf-8")


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def rules_applied(min_team_size: int) -> dict[str, Any]:
    """The rules a run applies, as the warehouse may want to check them."""
    return {
        "anonymizer_version": tpsp.__version__,
        "pseudonyms": f"hmac-sha256, hex truncated to {HEX_LENGTH}",
        "timestamps": "utc, floored to the hour",
        "min_team_size": min_team_size,
        "small_teams_bucket": SMALL_TEAMS,
        "unmapped_identities_team": UNASSIGNED,
        "allow_lists": allow_lists_version(),
        "refused_in_output": [
            *("org map identities", "team names", "email addresses", "ip addresses"),
            *("urls with a host", "the secret"),
        ],
    }


def rules_key(rules: Mapping[str, Any]) -> str:
    canonical = json.dumps(rules, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return "r_" + sha256_of(canonical)[:12]


def updated_manifest(
    previous: ExportManifest | None,
    firm_id: str,
    landed: Iterable[tuple[str, str, int]],
    rules: dict[str, Any],
) -> ExportManifest:
    """The manifest after a run landed ``landed`` (path, sha256, rows): entries of the day
    folders the run wrote are replaced, every other entry is kept as it was."""
    landed = list(landed)
    key = rules_key(rules)
    written = {path.rsplit("/", 1)[0] for path, _, _ in landed}
    manifest = ExportManifest(firm_id)
    if previous is not None and previous.firm_id == firm_id:
        manifest.files = {
            path: entry for path, entry in previous.files.items() if entry.day_folder not in written
        }
        manifest.rules = dict(previous.rules)
    for path, sha256, rows in landed:
        manifest.files[path] = ManifestEntry(path, sha256, rows, key)
    manifest.rules[key] = rules
    used = {entry.rules for entry in manifest.files.values()}
    manifest.rules = {name: manifest.rules[name] for name in sorted(used)}
    return manifest


def write_manifest(firm_landing: Path, manifest: ExportManifest) -> Path:
    """Write the manifest in one step: a reader sees the old one or the new one, whole."""
    target = firm_landing / MANIFEST_FILE
    partial = firm_landing / f".{MANIFEST_FILE}.partial"  # hidden: the gates skip it
    partial.write_bytes(manifest.to_bytes())
    os.replace(partial, target)
    return target


def read_manifest(path: Path, firm_id: str | None = None) -> ExportManifest:
    """The manifest at ``path``; ``ManifestError`` when it is unreadable or malformed, or
    names another firm than ``firm_id``."""
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ManifestError(f"is not readable JSON: {' '.join(str(exc).split())}") from exc
    manifest = parse_manifest(document)
    if firm_id is not None and manifest.firm_id != firm_id:
        raise ManifestError(f"names firm {manifest.firm_id!r}, not its folder {firm_id!r}")
    return manifest


def parse_manifest(document: Any) -> ExportManifest:
    if not isinstance(document, dict):
        raise ManifestError("is not a JSON object")
    if document.get("manifest_version") != MANIFEST_VERSION:
        raise ManifestError(f"manifest_version is not {MANIFEST_VERSION}")
    firm_id, files, rules = (document.get(key) for key in ("firm_id", "files", "rules"))
    if not isinstance(firm_id, str) or not firm_id:
        raise ManifestError("firm_id is missing")
    if not isinstance(rules, dict) or not all(isinstance(r, dict) for r in rules.values()):
        raise ManifestError("rules is not an object of rule sets")
    if not isinstance(files, list):
        raise ManifestError("files is not a list")
    manifest = ExportManifest(firm_id, rules=rules)
    for number, item in enumerate(files, start=1):
        entry = _entry(item, number, rules)
        if entry.path in manifest.files:
            raise ManifestError(f"files[{number}] lists {entry.path} a second time")
        manifest.files[entry.path] = entry
    return manifest


def _entry(item: Any, number: int, rules: Mapping[str, Any]) -> ManifestEntry:
    where = f"files[{number}]"
    if not isinstance(item, dict):
        raise ManifestError(f"{where} is not an object")
    path, sha256, rows, rule_set = (item.get(k) for k in ("path", "sha256", "rows", "rules"))
    parts = path.split("/") if isinstance(path, str) else []
    if len(parts) != 3 or not _DAY.match(parts[1]) or not all(map(_SAFE_PART.match, parts)):
        raise ManifestError(f"{where}.path is not <source_kind>/<YYYY-MM-DD>/<file>")
    if not isinstance(sha256, str) or not _SHA256.match(sha256):
        raise ManifestError(f"{where}.sha256 is not a lower-case hex SHA-256")
    if isinstance(rows, bool) or not isinstance(rows, int) or rows < 0:
        raise ManifestError(f"{where}.rows is not a count")
    if not isinstance(rule_set, str) or rule_set not in rules:
        raise ManifestError(f"{where}.rules names no rule set of the manifest")
    return ManifestEntry(path, sha256, rows, rule_set)
