"""What every source-kind writer returns."""

from dataclasses import dataclass, field

from tpsp.generate.billing import BilledUsage
from tpsp.generate.plan import BadInput


@dataclass(frozen=True)
class SchemaDrift:
    """A field the vendor's documentation does not list, planted in a raw export."""

    kind: str
    file: str  # relative to raw/<firm_slug>
    field: str


@dataclass
class Written:
    """The files' planted defects, schema drift, every person identity they mention and
    every token a vendor bills for the usage they hold."""

    bad_inputs: list[BadInput] = field(default_factory=list)
    identities: set[str] = field(default_factory=set)
    schema_drift: list[SchemaDrift] = field(default_factory=list)
    billed: list[BilledUsage] = field(default_factory=list)
