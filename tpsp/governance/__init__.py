"""The governance page of the dbt docs: every public column with its privacy class and the
dbt sources it derives from, the access level of every model, and the privacy vars.

The page is rendered from dbt's manifest rather than written by hand, so that a reviewer
reads what the project declares; tests_py/test_governance.py fails when the committed page
no longer matches a fresh parse.
"""

from tpsp.governance.manifest import load_manifest, public_models
from tpsp.governance.page import DEFAULT_MANIFEST, GOVERNANCE_PAGE, render_page, write_page

__all__ = [
    "DEFAULT_MANIFEST",
    "GOVERNANCE_PAGE",
    "load_manifest",
    "public_models",
    "render_page",
    "write_page",
]
