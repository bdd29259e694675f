"""Patterns of personal or identifying data that must never reach the landing zone.

The anonymizer refuses output holding one (``tpsp.anonymize.leaks``) and the landing gates
quarantine a file holding one (``expectations.checks.no_pii``): an email address, an IPv4 or
IPv6 address, or a URL with a host.
"""

import re
from functools import lru_cache

EMAIL = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
IPV4 = rf"(?<![\d.]){_OCTET}(?:\.{_OCTET}){{3}}(?![\d.])"
_HEX = r"[0-9A-Fa-f]{1,4}"
IPV6 = (
    rf"(?<![0-9A-Za-z:])(?:{_HEX}:){{7}}{_HEX}(?![0-9A-Za-z:])"
    rf"|(?<![0-9A-Za-z:])(?:(?:{_HEX}:){{1,6}}|:):{_HEX}(?::{_HEX}){{0,5}}(?![0-9A-Za-z:])"
)
URL_WITH_HOST = r"[A-Za-z][A-Za-z0-9+.-]*://[^/\s?#]+"

PATTERNS: dict[str, re.Pattern[str]] = {
    "an email address": re.compile(EMAIL),
    "an IP address": re.compile(f"{IPV4}|{IPV6}"),
    "a URL with a host": re.compile(URL_WITH_HOST),
}
ANY_PII = "|".join(f"(?:{pattern.pattern})" for pattern in PATTERNS.values())
_ANY = re.compile(ANY_PII)


@lru_cache(maxsize=1 << 16)  # landed values repeat: pseudonyms, models, timestamps
def find_pii(text: str) -> tuple[str, str] | None:
    """What kind of personal data ``text`` holds and the matching part, or None."""
    if not _ANY.search(text):
        return None
    for kind, pattern in PATTERNS.items():
        found = pattern.search(text)
        if found:
            return kind, found.group(0)
    return None
