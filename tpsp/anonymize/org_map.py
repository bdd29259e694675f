"""The firm's org map: which team each identity belongs to, and which teams are too small.

``org_map.csv`` has the columns ``identity,team`` and optionally ``person``, which groups
several identities (email, login, vendor user id, API key) of one person. Without it each
identity counts as one person. A team with fewer than ``min_team_size`` persons is merged into
``small_teams``; an identity missing from the map belongs to ``unassigned``.
"""

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from tpsp.anonymize.hashing import normalize_team_name, team_pseudonym
from tpsp.errors import InputError

SMALL_TEAMS = "small_teams"
UNASSIGNED = "unassigned"


def normalize_identity(identity: str) -> str:
    """Identities match case-insensitively and without surrounding whitespace."""
    return identity.strip().lower()


@dataclass(frozen=True)
class OrgMap:
    """Identities, persons and teams of one firm, all normalized (trimmed, lower case)."""

    team_of_identity: dict[str, str]
    person_of_identity: dict[str, str]
    team_names: dict[str, str]  # normalized team name -> name as first spelled in the file
    team_sizes: dict[str, int]  # normalized team name -> distinct persons
    min_team_size: int

    @property
    def small_teams(self) -> set[str]:
        return {team for team, size in self.team_sizes.items() if size < self.min_team_size}

    def bucket_of_team(self, team: str) -> str:
        """The team a known team's rows land under: itself, or ``small_teams``."""
        return SMALL_TEAMS if self.team_sizes[team] < self.min_team_size else team


def parse_org_map(text: str, min_team_size: int, source: str = "org_map.csv") -> OrgMap:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise InputError(f"{source} is not valid CSV: {exc}") from exc
    if not rows:
        raise InputError(f"{source} is empty; it needs the header identity,team[,person]")
    header = [name.strip().lower() for name in rows[0]]
    if "identity" not in header or "team" not in header:
        raise InputError(f"{source} needs the columns identity and team (and optionally person)")
    identity_at, team_at = header.index("identity"), header.index("team")
    person_at = header.index("person") if "person" in header else None

    team_of_identity: dict[str, str] = {}
    person_of_identity: dict[str, str] = {}
    team_names: dict[str, str] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < len(header):
            raise InputError(f"{source} row {number} has fewer fields than the header")
        identity = normalize_identity(row[identity_at])
        raw_team = row[team_at].strip()
        team = normalize_team_name(raw_team)
        if not identity or not team:
            raise InputError(f"{source} row {number} lacks an identity or a team")
        if team_of_identity.get(identity, team) != team:
            raise InputError(f"{source} row {number} maps an identity to a second team")
        person = normalize_identity(row[person_at]) if person_at is not None else ""
        team_of_identity[identity] = team
        person_of_identity[identity] = person or identity
        team_names.setdefault(team, raw_team)

    persons: dict[str, set[str]] = {team: set() for team in team_names}
    for identity, team in team_of_identity.items():
        persons[team].add(person_of_identity[identity])
    return OrgMap(
        team_of_identity=team_of_identity,
        person_of_identity=person_of_identity,
        team_names=team_names,
        team_sizes={team: len(members) for team, members in persons.items()},
        min_team_size=min_team_size,
    )


def read_org_map(path: Path, min_team_size: int) -> OrgMap:
    if not path.is_file():
        raise InputError(f"org map not found: {path}")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {path.name} as UTF-8 text: {exc}") from exc
    return parse_org_map(text, min_team_size, source=path.name)


@dataclass
class TeamAssigner:
    """Maps the people and teams named in one raw file to team pseudonyms.

    It remembers what it saw (identities, unmapped identities, raw team names) so the run can
    count unassigned identities and refuse output that would contain any of them.
    """

    org_map: OrgMap
    secret: bytes
    seen_identities: set[str] = field(default_factory=set)
    unassigned_identities: set[str] = field(default_factory=set)
    seen_team_names: set[str] = field(default_factory=set)
    unmapped_team_names: set[str] = field(default_factory=set)
    _pseudonyms: dict[str, str] = field(default_factory=dict, repr=False)

    def _pseudonym(self, team: str) -> str:
        if team not in self._pseudonyms:
            self._pseudonyms[team] = team_pseudonym(self.secret, team)
        return self._pseudonyms[team]

    def absorb(self, other: "TeamAssigner") -> None:
        """Add what ``other`` saw to what this assigner saw."""
        self.seen_identities |= other.seen_identities
        self.unassigned_identities |= other.unassigned_identities
        self.seen_team_names |= other.seen_team_names
        self.unmapped_team_names |= other.unmapped_team_names

    def for_identity(self, identity: str | None) -> str:
        """The team pseudonym of a person's identity; no identity at all means ``unassigned``."""
        normalized = normalize_identity(identity) if isinstance(identity, str) else ""
        if not normalized:
            return self._pseudonym(UNASSIGNED)
        self.seen_identities.add(normalized)
        team = self.org_map.team_of_identity.get(normalized)
        if team is None:
            self.unassigned_identities.add(normalized)
            return self._pseudonym(UNASSIGNED)
        return self._pseudonym(self.org_map.bucket_of_team(team))

    def for_team_name(self, team_name: str) -> str:
        """The pseudonym of a team named in an export (``daily_totals``), after the merge."""
        team = normalize_team_name(team_name)
        if not team:
            return self._pseudonym(UNASSIGNED)
        self.seen_team_names.add(team)
        if team in (SMALL_TEAMS, UNASSIGNED) and team not in self.org_map.team_sizes:
            return self._pseudonym(team)
        if team not in self.org_map.team_sizes:
            self.unmapped_team_names.add(team)
            return self._pseudonym(UNASSIGNED)
        return self._pseudonym(self.org_map.bucket_of_team(team))
