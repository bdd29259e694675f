"""Pseudonyms and key normalization.

Every pseudonym is HMAC-SHA256 keyed by the firm's secret, hex, truncated to 16 characters,
behind a prefix that says what it stands for: ``t_`` team, ``a_`` artifact, ``h_`` other id.
Artifact keys are normalized first so the same pull request or issue gets the same key in
every source kind of one firm.
"""

import hashlib
import hmac
import re

HEX_LENGTH = 16
PSEUDONYM_PATTERN = re.compile(r"^[tah]_[0-9a-f]{16}$")

_SCP_LIKE_URL = re.compile(r"^[^/@\s]+@[^:/\s]+:(?P<path>.*)$")


def _digest(secret: bytes, message: str) -> str:
    return hmac.new(secret, message.encode("utf-8"), hashlib.sha256).hexdigest()[:HEX_LENGTH]


def normalize_team_name(team_name: str) -> str:
    """Team names compare case-insensitively and without surrounding whitespace."""
    return team_name.strip().lower()


def team_pseudonym(secret: bytes, team_name: str) -> str:
    """``t_`` + hmac(``team:`` + team name), the only form in which a team leaves the firm."""
    return "t_" + _digest(secret, "team:" + normalize_team_name(team_name))


def artifact_pseudonym(secret: bytes, normalized_key: str) -> str:
    """``a_`` + hmac(key) for a key built by ``normalize_pr_key`` or ``normalize_issue_key``."""
    return "a_" + _digest(secret, normalized_key.strip().lower())


def id_pseudonym(secret: bytes, value: str | int) -> str:
    """``h_`` + hmac(value) for any other identifier, compared lower case and trimmed."""
    return "h_" + _digest(secret, str(value).strip().lower())


def repo_from_url(url: str) -> str:
    """``owner/repo`` from a repository URL: scheme, user, host, port and ``.git`` removed.

    Accepts ``https://github.com/Owner/Repo.git``, ``ssh://git@host:22/owner/repo`` and the
    scp-like ``git@github.com:owner/repo.git``. A value without a scheme or host is taken as
    the repository path itself.
    """
    text = url.strip()
    if "://" in text:
        after_scheme = text.split("://", 1)[1]
        text = after_scheme.split("/", 1)[1] if "/" in after_scheme else ""
    else:
        scp = _SCP_LIKE_URL.match(text)
        if scp:
            text = scp.group("path")
    text = text.split("?", 1)[0].split("#", 1)[0].strip().strip("/")
    if text.lower().endswith(".git"):
        text = text[: -len(".git")].rstrip("/")
    if not text:
        raise ValueError("repository URL has no owner/repo path")
    return text.lower()


def normalize_pr_key(repo_full_name: str, number: int | str) -> str:
    """``owner/repo#123``, lower case, from a repository full name (or URL) and a PR number.

    The number may come as an int, as ``"123"``, ``"#123"`` or as a pull request URL ending in
    the number, which is how ``vcs.change.id`` varies between instrumentations.
    """
    repo = repo_from_url(repo_full_name)
    change = str(number).strip().lower()
    if "/" in change:
        change = change.rstrip("/").rsplit("/", 1)[1]
    change = change.lstrip("#!").strip()
    if change.isdigit():
        change = str(int(change))
    if not change:
        raise ValueError("change id is empty")
    return f"{repo}#{change}"


def normalize_issue_key(key: str) -> str:
    """Issue keys such as ``PAY-123`` compare lower case and trimmed: ``pay-123``."""
    normalized = key.strip().lower()
    if not normalized:
        raise ValueError("issue key is empty")
    return normalized
