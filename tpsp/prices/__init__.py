"""The price seed: `seeds/model_prices.csv`, regenerated from the `genai-prices` package.

The seed is the only price list the warehouse reads at run time; `tpsp prices` rewrites it
from the pinned `genai-prices` data for the models in `catalog.CATALOG`, so a price update is
a dependency bump, one command and a reviewable diff of the seed.
"""

from tpsp.prices.seed import SEED_COLUMNS, price_rows, write_seed

__all__ = ["SEED_COLUMNS", "price_rows", "write_seed"]
