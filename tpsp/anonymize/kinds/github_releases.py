"""``github_releases``: pages of GitHub's REST list of releases (JSON arrays),
``GET /repos/{owner}/{repo}/releases``.

Landed shape: a JSON array of releases per UTC day of ``created_at``, sorted by
``created_at`` then ``artifact_key``. Kept: ``artifact_key`` (``a_`` + hmac of
``owner/repo@<tag_name>`` lower case, the repository read from ``html_url`` or ``url``),
``draft``, ``prerelease``, ``created_at`` and ``published_at`` floored to the hour (a draft
has no ``published_at``), the repository hashed, and ``team_id`` from ``author.login``.
Name, body, tag and assets are dropped.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any, TextIO

from tpsp.anonymize.hashing import artifact_pseudonym, id_pseudonym
from tpsp.anonymize.io import dump_json
from tpsp.anonymize.kinds.base import KindContext, KindOutput, array_items, at, keep_latest
from tpsp.anonymize.kinds.fields import github_repo, iso_hour, optional_bool, required_iso_hour
from tpsp.anonymize.records import as_mapping, as_text, dig

FORMATS = ("json", "jsonl")
CONSTANTS: frozenset[str] = frozenset()

# The allow-list: every field path a landed record may hold (tpsp.anonymize.field_paths);
# the run refuses output holding any other field.
LANDED_FIELDS = frozenset(
    {
        *("artifact_key", "draft", "prerelease", "created_at", "published_at"),
        *("repository", "team_id"),
    }
)

KNOWN_FIELDS = frozenset(
    {
        *("url", "html_url", "assets_url", "upload_url", "tarball_url", "zipball_url"),
        *("id", "node_id", "tag_name", "target_commitish", "name", "body", "draft"),
        *("prerelease", "immutable", "created_at", "updated_at", "published_at"),
        *("author", "assets", "body_html", "body_text", "mentions_count", "reactions"),
        "discussion_url",
    }
)


def parse(handle: TextIO, fmt: str) -> Iterable[Any]:
    return array_items(handle, fmt)


def serialize(content: list[dict[str, Any]]) -> bytes:
    return dump_json(content)


def count_rows(content: list[dict[str, Any]]) -> int:
    return len(content)


def release_key(repo: str, tag_name: str) -> str:
    """``owner/repo@v1.2.0``: a release is its repository and tag, lower case."""
    return f"{repo}@{tag_name.strip()}".lower()


def _release(release: Mapping[str, Any], ctx: KindContext) -> dict[str, Any]:
    repo = github_repo(release, "html_url", "url")
    tag = as_text(release.get("tag_name"), "tag_name")
    login = dig(release, "author.login")
    return {
        "artifact_key": artifact_pseudonym(ctx.secret, release_key(repo, tag)),
        "draft": optional_bool(release.get("draft"), "draft"),
        "prerelease": optional_bool(release.get("prerelease"), "prerelease"),
        "created_at": required_iso_hour(release.get("created_at"), "created_at"),
        "published_at": iso_hour(release.get("published_at"), "published_at"),
        "repository": id_pseudonym(ctx.secret, repo),
        "team_id": ctx.teams.for_identity(login if isinstance(login, str) else None),
    }


def transform(documents: Iterable[Any], ctx: KindContext) -> KindOutput:
    kept: dict[str, tuple[Any, dict[str, Any]]] = {}
    rows_in = duplicates = 0
    for index, release in enumerate(documents):
        with at(f"release {index + 1}"):
            release = as_mapping(release, "release")
            ctx.note_fields(release, KNOWN_FIELDS)
            landed = _release(release, ctx)
        rows_in += 1
        version = release.get("updated_at") or release.get("published_at")
        duplicates += keep_latest(kept, landed["artifact_key"], version, landed)
    days: dict[date, list[dict[str, Any]]] = defaultdict(list)
    for _, landed in kept.values():
        days[date.fromisoformat(landed["created_at"][:10])].append(landed)
    for releases in days.values():
        releases.sort(key=lambda release: (release["created_at"], release["artifact_key"]))
    return KindOutput(days=dict(days), rows_in=rows_in, rows_out=len(kept), duplicates=duplicates)
