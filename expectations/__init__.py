"""Landing-zone quality gates: one Great Expectations suite per source kind.

``expectations.runner.run_gates`` checks every landed file against its source kind's suite
(``expectations/suites/<source_kind>.py``) and moves failing files to the quarantine with a
``reason.json`` beside them. See ``docs/landing_contract.md`` for the shapes checked.
"""

import os

# The gates run offline on the warehouse operator's machine: no usage statistics.
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
