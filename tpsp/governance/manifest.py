"""What the governance page reads from dbt's manifest.json: the public models with their
columns' privacy classes, the sources and seeds upstream of each, and every model's access."""

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tpsp.errors import TpspError

ACCESS_ORDER = ("private", "protected", "public")
PARSE_HINT = (
    "run `make governance`, which parses the project first, or `dbt parse --profiles-dir .`"
)


class ManifestError(TpspError):
    """The dbt manifest is missing or unreadable."""


@dataclass(frozen=True)
class Column:
    name: str
    data_type: str | None
    privacy: str | None
    description: str


@dataclass(frozen=True)
class Upstream:
    unique_id: str
    name: str
    landing_glob: str | None


@dataclass(frozen=True)
class PublicModel:
    unique_id: str
    name: str
    relation: str
    group: str | None
    contract_enforced: bool
    description: str
    columns: tuple[Column, ...]
    sources: tuple[Upstream, ...]
    seeds: tuple[Upstream, ...]
    upstream_models: int


@dataclass(frozen=True)
class AccessRow:
    access: str
    group: str | None
    schema: str
    models: tuple[str, ...]


def load_manifest(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        raise ManifestError(f"no dbt manifest at {path}", hint=PARSE_HINT) from None
    except (OSError, ValueError) as error:
        raise ManifestError(
            f"cannot read the dbt manifest {path}: {error}", hint=PARSE_HINT
        ) from None


def project_models(manifest: dict[str, Any]) -> list[dict[str, Any]]:
    project = manifest["metadata"]["project_name"]
    return sorted(
        (
            node
            for node in manifest["nodes"].values()
            if node["resource_type"] == "model" and node["package_name"] == project
        ),
        key=lambda node: node["name"],
    )


def privacy_class(column: dict[str, Any]) -> str | None:
    # dbt 1.10+ keeps column meta under config; older YAML put it beside the column
    meta = (column.get("config") or {}).get("meta") or column.get("meta") or {}
    return meta.get("privacy")


def upstream_ids(manifest: dict[str, Any], unique_id: str) -> set[str]:
    """Every node the given one derives from, through depends_on, transitively."""
    found: set[str] = set()
    pending = [unique_id]
    while pending:
        node = manifest["nodes"].get(pending.pop()) or {}
        for parent in node.get("depends_on", {}).get("nodes", []):
            if parent not in found:
                found.add(parent)
                pending.append(parent)
    return found


def _upstream(manifest: dict[str, Any], ids: set[str], prefix: str) -> tuple[Upstream, ...]:
    found = []
    for unique_id in sorted(i for i in ids if i.startswith(prefix)):
        if prefix == "source.":
            node = manifest["sources"][unique_id]
            name = f"{node['source_name']}.{node['name']}"
            glob = (node.get("config") or {}).get("meta", {}).get("landing_glob")
        else:
            node, glob = manifest["nodes"][unique_id], None
            name = node["name"]
        found.append(Upstream(unique_id=unique_id, name=name, landing_glob=glob))
    return tuple(found)


def _public_model(manifest: dict[str, Any], node: dict[str, Any]) -> PublicModel:
    ids = upstream_ids(manifest, node["unique_id"])
    columns = tuple(
        Column(
            name=column["name"],
            data_type=column.get("data_type"),
            privacy=privacy_class(column),
            description=column.get("description", ""),
        )
        for column in node["columns"].values()
    )
    return PublicModel(
        unique_id=node["unique_id"],
        name=node["name"],
        # schema and alias, not relation_name: the database is named after the warehouse file
        relation=f"{node['schema']}.{node['alias']}",
        group=node.get("group"),
        contract_enforced=bool(node["config"].get("contract", {}).get("enforced")),
        description=node.get("description", ""),
        columns=columns,
        sources=_upstream(manifest, ids, "source."),
        seeds=_upstream(manifest, ids, "seed."),
        upstream_models=sum(1 for i in ids if i.startswith("model.")),
    )


def public_models(manifest: dict[str, Any]) -> list[PublicModel]:
    return [
        _public_model(manifest, node)
        for node in project_models(manifest)
        if node.get("access") == "public"
    ]


def access_rows(manifest: dict[str, Any]) -> list[AccessRow]:
    grouped: dict[tuple[str, str | None, str], list[str]] = defaultdict(list)
    for node in project_models(manifest):
        grouped[(node.get("access") or "protected", node.get("group"), node["schema"])].append(
            node["name"]
        )

    def order(key: tuple[str, str | None, str]) -> tuple[int, str, str]:
        access, group, schema = key
        rank = ACCESS_ORDER.index(access) if access in ACCESS_ORDER else len(ACCESS_ORDER)
        return rank, schema, group or ""

    return [
        AccessRow(access=key[0], group=key[1], schema=key[2], models=tuple(grouped[key]))
        for key in sorted(grouped, key=order)
    ]
