"""A full scan of what left the firms: every landed file and every text value of every table
in the warehouse. None may hold an org-map identity, an email address, an IP address or a
URL with a host."""

import csv
import gzip
import json
import re
from pathlib import Path

from conftest import query

from tpsp.pii import ANY_PII, find_pii

# identities are matched as whole tokens, so that a short login cannot match inside a word
TOKEN = re.compile(r"[A-Za-z0-9_.@+:-]+")
ANY = re.compile(ANY_PII)


def org_map_identities(raw: Path) -> set[str]:
    identities = set()
    for org_map in sorted(raw.glob("*/org_map.csv")):
        with org_map.open() as handle:
            identities |= {row["identity"].strip().lower() for row in csv.DictReader(handle)}
    return identities


def findings(text: str, identities: set[str]) -> list[str]:
    found = sorted(set(TOKEN.findall(text.lower())) & identities)
    match = ANY.search(text)
    if match is not None:
        kind, value = find_pii(match.group(0)) or ("personal data", match.group(0))
        found.append(f"{kind}: {value}")
    return found


def test_the_scan_finds_every_kind_of_identity_it_looks_for(demo_run):
    identities = org_map_identities(demo_run.layout.raw)
    for identity in identities:
        assert identity in findings(json.dumps({"user": identity.upper()}), identities)
    assert findings("see https://git.example.com/x", set()) == [
        "a URL with a host: https://git.example.com"
    ]


def test_no_landed_file_holds_an_identity_email_ip_or_host_url(demo_run):
    identities = org_map_identities(demo_run.layout.raw)
    files = sorted(p for p in demo_run.layout.landing.rglob("*") if p.is_file())
    assert len(files) > 100
    leaks = {}
    for path in files:
        data = path.read_bytes()
        text = (gzip.decompress(data) if path.suffix == ".gz" else data).decode("utf-8")
        found = findings(text, identities)
        if found:
            leaks[str(path.relative_to(demo_run.layout.landing))] = found[:3]
    assert leaks == {}


def test_no_warehouse_value_holds_an_identity_email_ip_or_host_url(demo_run, warehouse):
    identities = org_map_identities(demo_run.layout.raw)
    columns = query(
        warehouse,
        """
        select table_schema, table_name, column_name from information_schema.columns
        where data_type = 'VARCHAR'
        """,
    )
    assert len(columns) > 100
    leaks = []
    for schema, table, column in columns:
        values = query(warehouse, f'select distinct "{column}" from "{schema}"."{table}"')
        texts = [value for (value,) in values if value is not None]
        # no pattern matches across a line break: a column without a finding in its values
        # joined by line breaks has none in any value
        if not findings("\n".join(texts), identities):
            continue
        leaks += [(schema, table, column, text) for text in texts if findings(text, identities)]
    assert leaks == []
