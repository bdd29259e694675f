"""Firms are dynamic partitions: one per ``<firm_id>`` folder of the landing zone."""

import dagster as dg

from tpsp.source_kinds import SOURCE_KINDS

FIRM_PARTITIONS_NAME = "firm"
firm_partitions = dg.DynamicPartitionsDefinition(name=FIRM_PARTITIONS_NAME)

# Every source kind tpsp understands has a landing asset (gated by its suite in expectations/).
LANDING_KINDS: tuple[str, ...] = tuple(sorted(SOURCE_KINDS))
LANDING_PREFIX = "landing"
GATE_CHECK_NAME = "passes_gate"


def landing_key(kind: str) -> dg.AssetKey:
    return dg.AssetKey([LANDING_PREFIX, kind])


def gate_check_key(kind: str) -> dg.AssetCheckKey:
    return dg.AssetCheckKey(landing_key(kind), GATE_CHECK_NAME)


def kind_of(key: dg.AssetKey) -> str:
    return key.path[-1]
