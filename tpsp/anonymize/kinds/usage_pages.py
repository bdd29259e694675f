"""Walking the pages of a vendor report: pages → daily buckets → grouped results.

OpenAI's Usage and Costs APIs and Anthropic's usage and cost reports share this shape; each
kind supplies how one result joins its group and how a group lands, and names its vendor's
bucket style (``OPENAI_BUCKETS``: unix seconds; ``ANTHROPIC_BUCKETS``: ISO timestamps).
Every kind lands one page per UTC day of the bucket start.
"""

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tpsp.anonymize.kinds.base import KindContext, KindOutput, at, none_first
from tpsp.anonymize.records import RecordError, as_count, as_list, as_mapping, as_text
from tpsp.anonymize.timefloor import (
    day_of_unix_seconds,
    floor_iso,
    floor_unix_seconds,
    format_iso_z,
)

PAGE_FIELDS = frozenset({"data", "has_more", "next_page"})


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


@dataclass(frozen=True)
class BucketStyle:
    """How a vendor writes a daily bucket and its page."""

    start: str  # the bucket's start and end fields
    end: str
    key: Callable[[dict[str, Any]], tuple[Any, Any]]  # floored (start, end)
    day_of: Callable[[Any], date]  # the UTC day of a floored start
    objects: tuple[str, str] | None = None  # the page's and bucket's "object", if any

    @property
    def _typed(self) -> frozenset[str]:
        return frozenset({"object"} if self.objects else ())

    @property
    def page_fields(self) -> frozenset[str]:
        return PAGE_FIELDS | self._typed

    @property
    def bucket_fields(self) -> frozenset[str]:
        return frozenset({self.start, self.end, "results"}) | self._typed

    def bucket(self, start: Any, end: Any, results: list[dict[str, Any]]) -> dict[str, Any]:
        typed = {"object": self.objects[1]} if self.objects else {}
        return typed | {self.start: start, self.end: end, "results": results}

    def page(self, data: list[dict[str, Any]]) -> dict[str, Any]:
        typed = {"object": self.objects[0]} if self.objects else {}
        return typed | {"data": data, "has_more": False, "next_page": None}


def _unix_key(bucket: dict[str, Any]) -> tuple[int, int | None]:
    start = floor_unix_seconds(as_count(bucket.get("start_time"), "start_time"))
    end = bucket.get("end_time")
    floored_end = floor_unix_seconds(as_count(end, "end_time")) if end is not None else None
    if floored_end is not None and floored_end < start:
        raise RecordError("end_time is before start_time")
    return start, floored_end


def _iso_timestamp(value: Any, what: str) -> str:
    try:
        return format_iso_z(floor_iso(as_text(value, what)))
    except ValueError as exc:
        raise RecordError(f"{what} is not an ISO 8601 timestamp") from exc


def _iso_key(bucket: dict[str, Any]) -> tuple[str, str | None]:
    start = _iso_timestamp(bucket.get("starting_at"), "starting_at")
    end = bucket.get("ending_at")
    return start, _iso_timestamp(end, "ending_at") if end is not None else None


def openai_buckets(page_object: str, bucket_object: str) -> BucketStyle:
    return BucketStyle(
        "start_time", "end_time", _unix_key, day_of_unix_seconds, (page_object, bucket_object)
    )


ANTHROPIC_BUCKETS = BucketStyle(
    "starting_at", "ending_at", _iso_key, lambda start: date.fromisoformat(start[:10])
)


def count_results(content: dict[str, Any]) -> int:
    """Results of a landed day's page: one per group."""
    return sum(len(bucket["results"]) for bucket in content["data"])


def land_daily_pages(
    documents: Iterable[Any],
    ctx: KindContext,
    style: BucketStyle,
    result_fields: frozenset[str],
    add_result: Callable[[Any, KindContext, dict[Any, Any]], None],
    landed_result: Callable[[Any, Any], dict[str, Any]],
) -> KindOutput:
    """Group every result of every bucket and land one page per UTC day; a bucket without
    any result (a day without usage or cost) lands nothing."""
    collected = collect_buckets(
        documents,
        ctx,
        (style.page_fields, style.bucket_fields, result_fields),
        style.key,
        add_result,
    )
    pages: dict[date, list[dict[str, Any]]] = defaultdict(list)
    rows_out = 0
    for (start, end), groups in sorted(
        collected.buckets.items(), key=lambda item: none_first(item[0])
    ):
        if not groups:
            continue
        results = [landed_result(key, groups[key]) for key in sorted(groups, key=none_first)]
        rows_out += len(results)
        pages[style.day_of(start)].append(style.bucket(start, end, results))
    return KindOutput(
        days={day: style.page(data) for day, data in pages.items()},
        rows_in=collected.rows_in,
        rows_out=rows_out,
        duplicates=collected.duplicates,
    )
