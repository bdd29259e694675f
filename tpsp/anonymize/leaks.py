"""The last line of defence: refuse output that would carry a raw identifier.

Every string value of the output is checked against the org map's identities, persons and
team names, the identities and team names seen in the exports, email addresses, IP addresses,
URLs with a host (``tpsp.pii``), and the secret. A match raises ``LeakError`` naming the
source kind, file and field; the identity itself is never printed, only its ``h_`` hint.

Not checked: the anonymizer's own pseudonyms (``t_``/``a_``/``h_`` + 16 hex), the strings its
code writes (field names inside OTLP attribute lists, allow-listed labels, workflow tags) and
digit-only strings (counts and timestamps), none of which can carry raw firm data.
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from tpsp.anonymize.hashing import PSEUDONYM_PATTERN, id_pseudonym
from tpsp.errors import LeakError
from tpsp.pii import find_pii

# Shorter identities or team names ("ed", "qa", "ops") are refused only as a whole value:
# as substrings they would match ordinary words such as "closed".
MIN_CONTAINED_LENGTH = 4


@dataclass(frozen=True)
class Sensitive:
    """What must not appear in landed output, all lower case."""

    identities: frozenset[str]  # identities and persons of the org map, identities seen
    team_names: frozenset[str]  # team names of the org map and of the exports
    secret: bytes
    constants: frozenset[str]  # strings the anonymizer itself writes: keys, enum values


@dataclass(frozen=True)
class Leak:
    where: str  # "<source kind> <landed file>: <field path>"
    what: str
    hint: str | None

    def message(self) -> str:
        hint = f" (hint {self.hint})" if self.hint else ""
        return f"{self.where} would contain {self.what}{hint}"


def iter_strings(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every string value in a JSON-like object, with a readable field path."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from iter_strings(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            label = index
            if isinstance(item, Mapping) and isinstance(item.get("key"), str):
                label = item["key"]  # OTLP attributes read better by key than by index
            yield from iter_strings(item, f"{path}[{label}]")


class LeakScanner:
    def __init__(self, sensitive: Sensitive) -> None:
        self._sensitive = sensitive
        self._exact = sensitive.identities | sensitive.team_names
        self._contained = [
            (needle, kind)
            for names, kind in (
                (sensitive.identities, "an identity from the org map or the exports"),
                (sensitive.team_names, "a team name"),
            )
            for needle in sorted(names)
            if len(needle) >= MIN_CONTAINED_LENGTH
        ]
        try:
            self._secret_text = sensitive.secret.decode("utf-8").lower()
        except UnicodeDecodeError:
            self._secret_text = None
        self._checked: dict[str, tuple[str, str | None] | None] = {}

    def check(self, value: str) -> tuple[str, str | None] | None:
        """What ``value`` would leak and a hint, or None when it is safe."""
        if value in self._checked:
            return self._checked[value]
        result = self._check(value)
        self._checked[value] = result
        return result

    def _check(self, value: str) -> tuple[str, str | None] | None:
        lowered = value.strip().lower()
        if value in self._sensitive.constants or PSEUDONYM_PATTERN.match(value):
            return None
        if lowered.isdigit():  # counts and epoch timestamps written as strings
            return None
        secret = self._secret_text
        if secret and secret in lowered:
            return "the secret", None
        if lowered in self._exact:
            return self._describe(lowered)
        for needle, kind in self._contained:
            if needle in lowered:
                return kind, self._hint(needle)
        found = find_pii(value)
        if found:
            return found[0], self._hint(found[1])
        return None

    def _describe(self, needle: str) -> tuple[str, str | None]:
        if needle in self._sensitive.identities:
            return "an identity from the org map or the exports", self._hint(needle)
        return "a team name", self._hint(needle)

    def _hint(self, needle: str) -> str:
        return id_pseudonym(self._sensitive.secret, needle)

    def scan(self, where: str, content: Any) -> Iterator[Leak]:
        """The leaks in ``content``; field paths are only worked out when there is one."""
        if not any(self.check(value) for value in distinct_strings(content)):
            return
        for path, value in iter_strings(content):
            found = self.check(value)
            if found:
                yield Leak(where=f"{where}: {path or 'value'}", what=found[0], hint=found[1])


def distinct_strings(value: Any) -> set[str]:
    """Every distinct string value in a JSON-like object (fast, without paths)."""
    found: set[str] = set()
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            found.add(item)
        elif isinstance(item, Mapping):
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
    return found


def refuse_leaks(leaks: list[Leak]) -> None:
    """Raise ``LeakError`` for the first leak, with a count of the others; nothing if none."""
    if not leaks:
        return
    more = f" (and {len(leaks) - 1} more)" if len(leaks) > 1 else ""
    raise LeakError(f"refusing to write landing: {leaks[0].message()}{more}; nothing was written")
