"""One in-memory Great Expectations context per mart gate: a whole-dataframe batch of the
mart and its suite, validated without writing anything to disk."""

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import great_expectations as gx


def mart_validation(
    asset: str, build_suite: Callable[[], "gx.ExpectationSuite"]
) -> "gx.ValidationDefinition":
    """A validation of the suite ``build_suite`` makes on a pandas dataframe passed at run time
    as ``dataframe``; the suite is built once the context exists, as GX requires."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    config = DataContextConfig(
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False, metric_calculations=False),
        store_backend_defaults=InMemoryStoreBackendDefaults(),
    )
    context = gx.get_context(mode="ephemeral", project_config=config)
    batch = (
        context.data_sources.add_pandas("marts")
        .add_dataframe_asset(asset)
        .add_batch_definition_whole_dataframe("build")
    )
    return context.validation_definitions.add(
        gx.ValidationDefinition(name=asset, data=batch, suite=context.suites.add(build_suite()))
    )
