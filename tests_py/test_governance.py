"""What a governance reviewer relies on: staging and intermediate are private, firm marts
protected, only the benchmark schema public with enforced contracts and classified columns,
and the committed governance page still says what a fresh parse of the project declares."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import project_root
from typer.testing import CliRunner

from tpsp.cli import app
from tpsp.governance import GOVERNANCE_PAGE, load_manifest, public_models, render_page
from tpsp.governance.manifest import project_models
from tpsp.governance.page import cell, project_vars

PRIVACY_CLASSES = {"hashed_key", "team_pseudonym", "aggregate", "public_reference"}


@pytest.fixture(scope="module")
def manifest_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh `dbt parse` of the project, in its own process: parsing opens no warehouse."""
    out = tmp_path_factory.mktemp("parse")
    root = project_root()
    env = {
        **os.environ,
        "TPSP_WAREHOUSE": str(out / "unused.duckdb"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    parsed = subprocess.run(
        [
            str(Path(sys.executable).parent / "dbt"),
            "parse",
            "--project-dir",
            str(root),
            "--profiles-dir",
            str(root),
            "--target-path",
            str(out / "target"),
            "--log-path",
            str(out / "logs"),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert parsed.returncode == 0, parsed.stdout[-3000:] + parsed.stderr[-3000:]
    return out / "target" / "manifest.json"


@pytest.fixture(scope="module")
def manifest(manifest_path: Path) -> dict:
    return load_manifest(manifest_path)


def models_where(manifest: dict, **wanted: str) -> list[dict]:
    return [
        node
        for node in project_models(manifest)
        if all(node.get(key) == value for key, value in wanted.items())
    ]


def test_committed_governance_page_matches_a_fresh_parse(manifest):
    expected = render_page(manifest, project_vars(project_root() / "dbt_project.yml"))
    assert GOVERNANCE_PAGE.read_text() == expected, (
        "models/docs/governance.md no longer matches the project: run `make governance`"
    )


def test_staging_and_intermediate_models_are_private(manifest):
    layers = [n for n in project_models(manifest) if n["fqn"][1] in ("staging", "intermediate")]
    assert {node["fqn"][1] for node in layers} == {"staging", "intermediate"}
    assert {node["name"]: node["access"] for node in layers if node["access"] != "private"} == {}


def test_firm_marts_are_protected(manifest):
    firm_marts = models_where(manifest, schema="firm_private")
    assert firm_marts
    assert {n["name"]: n["access"] for n in firm_marts if n["access"] != "protected"} == {}


def test_only_the_benchmark_schema_is_public_and_its_contracts_are_enforced(manifest):
    public = {node["name"] for node in models_where(manifest, access="public")}
    benchmark = models_where(manifest, schema="benchmark")
    assert public == {node["name"] for node in benchmark} != set()
    for node in benchmark:
        assert node["group"] == "benchmarks", node["name"]
        assert node["config"]["contract"]["enforced"], node["name"]


def test_every_public_column_is_typed_described_and_classified(manifest):
    for model in public_models(manifest):
        assert model.columns, model.name
        for column in model.columns:
            where = f"{model.name}.{column.name}"
            assert column.data_type, where
            assert column.description.strip(), where
            assert column.privacy in PRIVACY_CLASSES, where


def test_no_public_column_names_a_firm_or_a_team(manifest):
    for model in public_models(manifest):
        for column in model.columns:
            assert column.privacy != "team_pseudonym", f"{model.name}.{column.name}"
            assert column.name not in ("firm_id", "team_id"), f"{model.name}.{column.name}"


def test_the_page_lists_every_public_column_its_class_and_its_sources(manifest):
    page = render_page(manifest, {"k_min_firms": 7})
    models = public_models(manifest)
    assert any(model.name == "fct_benchmarks" for model in models)
    for model in models:
        assert f"### {model.name}" in page
        assert len(model.sources) > 1 and model.upstream_models > 1, model.name
        for column in model.columns:
            assert f"| `{column.name}` | `{column.data_type}` | `{column.privacy}` |" in page
        for source in model.sources:
            assert f"[`{source.name}`](#!/source/{source.unique_id})" in page
    assert "| `k_min_firms` | `7` |" in page
    assert "| `dp_epsilon` | not set |" in page


def test_fct_benchmarks_derives_from_landed_sources_only(manifest):
    (benchmarks,) = [model for model in public_models(manifest) if model.name == "fct_benchmarks"]
    sources = {source.name for source in benchmarks.sources}
    assert {"openai_usage.completions", "github_pulls.pull_requests"} <= sources
    assert all(source.landing_glob for source in benchmarks.sources)
    assert {seed.name for seed in benchmarks.seeds} >= {"model_prices"}


def test_the_page_is_the_tpsp_project_overview_and_the_landing_page_links_it(manifest):
    docs = manifest["docs"]
    assert "# Governance" in docs["doc.tpsp.__tpsp__"]["block_contents"]
    overview = docs["doc.tpsp.__overview__"]["block_contents"]
    assert "(#!/overview/tpsp)" in overview
    for claim in ("k_min_firms", "dominance_share", "suppression_reason", "dp_epsilon"):
        assert claim in overview, claim


def test_jinja_in_a_description_cannot_break_the_docs_block():
    assert cell("a {{ var }} b {% if %} c {# x #} | d") == (
        "a &#123;{ var }} b &#123;% if %} c &#123;# x #} \\| d"
    )


def test_cli_writes_the_page_and_explains_a_missing_manifest(manifest_path, tmp_path):
    out = tmp_path / "governance.md"
    written = CliRunner().invoke(
        app, ["governance", "--manifest", str(manifest_path), "--out", str(out)]
    )
    assert written.exit_code == 0, written.output
    vars_ = project_vars(project_root() / "dbt_project.yml")
    assert out.read_text() == render_page(load_manifest(manifest_path), vars_)

    missing = CliRunner().invoke(app, ["governance", "--manifest", str(tmp_path / "none.json")])
    assert missing.exit_code == 1
    assert missing.stderr.startswith("error: no dbt manifest at")
    assert "hint: run `make governance`" in missing.stderr
