"""tpsp: Tokens Per Shipped Product."""

__version__ = "0.1.0"
