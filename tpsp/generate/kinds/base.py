"""What every source-kind writer returns."""

from dataclasses import dataclass, field

from tpsp.generate.plan import BadInput


@dataclass
class Written:
    """The files' planted defects and every person identity the files mention."""

    bad_inputs: list[BadInput] = field(default_factory=list)
    identities: set[str] = field(default_factory=set)
