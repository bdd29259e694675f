"""The build's view of the landing zone: only files whose latest gate passed.

Before each dbt invocation the files that passed their gate (same path and sha256 as when they
passed) are hard-linked (copied when links are impossible) into ``<workdir>/gated_landing``,
with every firm's ``firm.json``; dbt's ``landing_path`` points there. Files that landed after
their firm's last gate run are left out until they are gated, so dbt never reads an ungated
file. The folder is removed after the build.
"""

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from orchestration.defs.landing.gating import link_or_copy
from orchestration.defs.warehouse.ops_log import sha256_of

GATED_FOLDER = "gated_landing"


@dataclass
class GatedLanding:
    root: Path
    files: dict[str, str] = field(default_factory=dict)  # relative path -> sha256
    not_gated: list[str] = field(default_factory=list)  # landed files the build leaves out

    def remove(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def gated_landing(landing: Path, workdir: Path, passed: dict[str, str]) -> GatedLanding:
    """Link the landed files listed in ``passed`` (path -> sha256 at the gate) under workdir."""
    from expectations.runner import FIRM_FILE, discover

    snapshot = GatedLanding(root=workdir / GATED_FOLDER)
    snapshot.remove()
    snapshot.root.mkdir(parents=True)
    if not landing.is_dir():
        return snapshot
    for firm_file in sorted(landing.glob(f"*/{FIRM_FILE}")):
        if not firm_file.parent.name.startswith("."):
            link_or_copy(firm_file, snapshot.root / firm_file.relative_to(landing))
    for landed in discover(landing):
        relative = landed.relative.as_posix()
        sha256 = passed.get(relative)
        if sha256 is not None and sha256_of(landed.path) == sha256:
            link_or_copy(landed.path, snapshot.root / landed.relative)
            snapshot.files[relative] = sha256
        else:
            snapshot.not_gated.append(relative)
    return snapshot
