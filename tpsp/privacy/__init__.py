"""Privacy rule 6: differentially private releases of the cross-firm benchmarks."""

from tpsp.privacy.dp_release import release_dp_benchmarks
from tpsp.privacy.ledger import LedgerRow, read_ledger

__all__ = ["LedgerRow", "read_ledger", "release_dp_benchmarks"]
