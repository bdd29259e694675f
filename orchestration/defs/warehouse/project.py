"""The dbt project, its manifest and how dbt nodes become Dagster assets.

The manifest is parsed at load time (``dbt parse``) when it is missing or older than a file of
the project, so edits show up on the next reload of ``dagster dev`` while run workers, which
load the code again, do not parse once more. Parsing does not read the landing zone (landing
views are created by an on-run-start hook), so the manifest does not depend on a particular
landing.
"""

import os
import shutil
import sys
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtProject

from orchestration.defs.landing.assets import FIRM_PROFILES_KEY
from orchestration.defs.landing.partitions import LANDING_KINDS, LANDING_PREFIX, landing_key
from tpsp.project import PROJECT_DIR

MANIFEST_TARGET = Path("target") / "dagster"
FIRM_PROFILES_SOURCE = "firms"
PROJECT_FILES = (
    "dbt_project.yml",
    "profiles.yml",
    "models",
    "macros",
    "seeds",
    "tests",
    "analyses",
)


@cache
def tpsp_dbt_project() -> DbtProject:
    _find_virtualenv_dbt()
    project = DbtProject(
        project_dir=PROJECT_DIR, profiles_dir=PROJECT_DIR, target_path=MANIFEST_TARGET
    )
    if _manifest_is_stale(project):
        # `dagster dev` parses here (prepare_if_dev); any other process that finds no current
        # manifest (tests, validation) parses the same way. Run workers find it current.
        project.prepare_if_dev()
        if _manifest_is_stale(project):
            project.preparer.prepare(project)
    return project


def _manifest_is_stale(project: DbtProject) -> bool:
    if not project.manifest_path.exists():
        return True
    parsed = project.manifest_path.stat().st_mtime
    sources = [project.project_dir / name for name in PROJECT_FILES]
    for source in sources:
        files = source.rglob("*") if source.is_dir() else [source]
        if any(path.is_file() and path.stat().st_mtime > parsed for path in files):
            return True
    return False


def _find_virtualenv_dbt() -> None:
    """dagster-dbt runs `dbt` from PATH; let it find this virtualenv's when not activated."""
    here = Path(sys.executable).parent
    if shutil.which("dbt") is None and (here / "dbt").exists():
        os.environ["PATH"] = os.pathsep.join([str(here), os.environ.get("PATH", "")])


class TpspDbtTranslator(DagsterDbtTranslator):
    """Landing sources are the gated landing assets; groups follow the dbt folders."""

    def __init__(self) -> None:
        super().__init__(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            source = dbt_resource_props["source_name"]
            if source in LANDING_KINDS:
                return landing_key(source)
            if source == FIRM_PROFILES_SOURCE:
                return FIRM_PROFILES_KEY
        return super().get_asset_key(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        """`staging`, `intermediate`, `marts`, and a mart subfolder (`benchmark`) on its own;
        seeds are `reference`, sources `landing`."""
        resource_type = dbt_resource_props["resource_type"]
        if resource_type == "source":
            return LANDING_PREFIX
        if resource_type == "seed":
            return "reference"
        folders = list(dbt_resource_props.get("fqn", [])[1:-1])
        if not folders:
            return "dbt"
        if folders[0] == "marts" and len(folders) > 1:
            return folders[1]
        return folders[0]
