"""Walking the pages of a vendor usage report: pages → daily buckets → grouped results.

OpenAI's Usage API and Anthropic's usage report share this shape; each kind supplies how a
bucket is keyed and how one result joins its team-level group.
"""

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any

from tpsp.anonymize.kinds.base import KindContext, at
from tpsp.anonymize.records import as_list, as_mapping


@dataclass
class CollectedBuckets:
    # bucket key → {group key → group}, in the order the kind's add_result fills it
    buckets: dict[Hashable, dict[Any, Any]] = field(default_factory=dict)
    rows_in: int = 0
    duplicates: int = 0


def collect_buckets(
    documents: Iterable[Any],
    ctx: KindContext,
    fields: tuple[frozenset[str], frozenset[str], frozenset[str]],
    bucket_key: Callable[[Any], Hashable],
    add_result: Callable[[Any, KindContext, dict[Any, Any]], None],
) -> CollectedBuckets:
    """Group every result of every bucket; a bucket seen twice (a page fetched twice) counts
    its results as duplicates. ``fields`` are the known page, bucket and result fields."""
    page_fields, bucket_fields, result_fields = fields
    collected = CollectedBuckets()
    for p, page in enumerate(documents, start=1):
        with at(f"page {p}"):
            page = as_mapping(page, "page")
            ctx.note_fields(page, page_fields)
            for b, bucket in enumerate(as_list(page.get("data"), "data")):
                with at(f"data[{b}]"):
                    bucket = as_mapping(bucket, "bucket")
                    ctx.note_fields(bucket, bucket_fields)
                    results = as_list(bucket.get("results", []), "results")
                    collected.rows_in += len(results)
                    key = bucket_key(bucket)
                    if key in collected.buckets:
                        collected.duplicates += len(results)
                        continue
                    groups = collected.buckets.setdefault(key, {})
                    for r, result in enumerate(results):
                        with at(f"results[{r}]"):
                            ctx.note_fields(as_mapping(result, "result"), result_fields)
                            add_result(result, ctx, groups)
    return collected
