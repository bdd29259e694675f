"""Hand-written landed files get a manifest entry, as the firm's anonymizer would give them.

Tests that plant a landed file to exercise a content gate record it here, so that the gate
under test, not the manifest check before it, is what sets the file aside.
"""

import json
from pathlib import Path

from expectations.suites import SUITES
from tpsp.anonymize.manifest import (
    MANIFEST_FILE,
    ExportManifest,
    ManifestEntry,
    ManifestError,
    parse_manifest,
    read_manifest,
    rules_applied,
    rules_key,
    sha256_of,
    write_manifest,
)


def _rows(path: Path, kind: str) -> int:
    try:
        return len(SUITES[kind].flatten(path))
    except Exception:  # a planted file may be unreadable on purpose
        return 0


def record_in_manifest(landing: Path, *relatives: Path | str) -> None:
    """List each ``<firm_id>/<source_kind>/<date>/<file>`` with its current bytes in its
    firm's manifest; a path no manifest may list (an unsafe name) is left out, since the
    gates refuse it before they look at the manifest."""
    for relative in map(Path, relatives):
        firm_id, *inside = relative.parts
        firm_landing = landing / firm_id
        try:
            manifest = read_manifest(firm_landing / MANIFEST_FILE, firm_id)
        except ManifestError:
            manifest = ExportManifest(firm_id)
        rules = rules_applied(3)
        key = rules_key(rules)
        entry = Path(*inside).as_posix()
        path = landing / relative
        rows = _rows(path, inside[0]) if inside and inside[0] in SUITES else 0
        manifest.rules[key] = rules
        manifest.files[entry] = ManifestEntry(entry, sha256_of(path.read_bytes()), rows, key)
        try:
            parse_manifest(json.loads(manifest.to_bytes()))
        except ManifestError:
            continue
        write_manifest(firm_landing, manifest)
