"""The synthetic generator: raw shapes per source kind, determinism and planted truths."""

import csv
import gzip
import hashlib
import json
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from tpsp.generate import GenerateResult, generate
from tpsp.generate.prices import vendor_rates
from tpsp.source_kinds import SOURCE_KINDS

DAYS = 60
SPIKE_RATIO = 2.0
TRAILING_DAYS = 28
MIN_HISTORY = 21  # days of history before a day is compared with its trailing median
PULL_FIELDS = (
    "number",
    "state",
    "title",
    "body",
    "user",
    "created_at",
    "updated_at",
    "closed_at",
    "merged_at",
    "draft",
    "labels",
    "head",
    "base",
    "additions",
    "deletions",
)
TRUTH_KEYS = (
    "seed",
    "firms",
    "days",
    "start_date",
    "end_date",
    "spikes",
    "outlier_teams",
    "gaming_teams",
    "adoption",
    "unpriced_models",
    "decoys",
    "bad_inputs",
    "schema_drift",
    "small_teams",
    "unmapped_identities",
    "vendor_costs",
    "pricing_traps",
)


# --- reading raw exports ----------------------------------------------------------------


def read_text(path: Path) -> str:
    data = path.read_bytes()
    return (gzip.decompress(data) if path.name.endswith(".gz") else data).decode()


def kind_files(firm_dir: Path, kind: str, skip: set[str]) -> list[Path]:
    folder = firm_dir / kind
    return [p for p in sorted(folder.iterdir()) if p.relative_to(firm_dir).as_posix() not in skip]


def org_map(firm_dir: Path) -> dict[str, str]:
    with (firm_dir / "org_map.csv").open() as handle:
        return {row["identity"]: row["team"] for row in csv.DictReader(handle)}


def usage_records(firm_dir: Path, skip: set[str]) -> list[tuple[date, str, int]]:
    """(UTC date, identity, total tokens) of every usage record of a raw firm folder."""
    records = []
    kinds = {p.name for p in firm_dir.iterdir() if p.is_dir()}
    if "otel_genai_spans" in kinds:
        for path in kind_files(firm_dir, "otel_genai_spans", skip):
            records.extend(_span_record(span) for span in spans_in(path))
    if "openai_usage" in kinds:
        for path in kind_files(firm_dir, "openai_usage", skip):
            for bucket in json.loads(read_text(path))["data"]:
                day = datetime.fromtimestamp(bucket["start_time"], UTC).date()
                for r in bucket["results"]:
                    records.append((day, r["user_id"], r["input_tokens"] + r["output_tokens"]))
    if "anthropic_usage" in kinds:
        for path in kind_files(firm_dir, "anthropic_usage", skip):
            for bucket in json.loads(read_text(path))["data"]:
                day = date.fromisoformat(bucket["starting_at"][:10])
                for r in bucket["results"]:
                    cache = r["cache_creation"]
                    total = (
                        r["uncached_input_tokens"]
                        + r["cache_read_input_tokens"]
                        + cache["ephemeral_5m_input_tokens"]
                        + cache["ephemeral_1h_input_tokens"]
                        + r["output_tokens"]
                    )
                    records.append((day, r["api_key_id"], total))
    if "daily_totals" in kinds:
        for path in kind_files(firm_dir, "daily_totals", skip):
            for row in csv.DictReader(read_text(path).splitlines()):
                day = date.fromisoformat(row["date"])
                records.append((day, "team:" + row["team"], int(row["tokens_consumed"])))
    if "litellm_spend" in kinds:
        requests = {}  # monthly exports overlap by a day: each request once
        for path in kind_files(firm_dir, "litellm_spend", skip):
            for row in csv.DictReader(read_text(path).lstrip("\ufeff").splitlines()):
                usage = json.loads(row["metadata"])["usage_object"]
                tokens = int(row["total_tokens"]) + usage.get("cache_creation_input_tokens", 0)
                day = date.fromisoformat(row["startTime"][:10])
                requests[row["request_id"]] = (day, row["user"], tokens)
        records.extend(requests.values())
    if "claude_code_otel" in kinds:
        for path in kind_files(firm_dir, "claude_code_otel", skip):
            records.extend(_claude_code_records(path))
    return records


def _claude_code_token_points(path: Path) -> Iterator[tuple[date, dict[str, str], int]]:
    """(UTC day, attributes, tokens) of every ``claude_code.token.usage`` data point."""
    for line in read_text(path).splitlines():
        for resource in json.loads(line)["resourceMetrics"]:
            for scope in resource["scopeMetrics"]:
                for metric in scope["metrics"]:
                    if metric["name"] != "claude_code.token.usage":
                        continue
                    for point in metric["sum"]["dataPoints"]:
                        attrs = {a["key"]: a["value"]["stringValue"] for a in point["attributes"]}
                        moment = datetime.fromtimestamp(int(point["timeUnixNano"]) // 10**9, UTC)
                        yield moment.date(), attrs, int(point["asDouble"])


def _claude_code_records(path: Path) -> list[tuple[date, str, int]]:
    return [
        (day, attrs["user.email"], tokens) for day, attrs, tokens in _claude_code_token_points(path)
    ]


def spans_in(path: Path) -> list[dict]:
    return [
        span
        for line in read_text(path).splitlines()
        for resource in json.loads(line)["resourceSpans"]
        for scope in resource["scopeSpans"]
        for span in scope["spans"]
    ]


def attribute_values(span: dict) -> dict[str, str]:
    """Span attributes by key, as their string or (string-encoded) integer value."""
    return {a["key"]: next(iter(a["value"].values())) for a in span["attributes"]}


def span_time(span: dict) -> datetime:
    return datetime.fromtimestamp(int(span["startTimeUnixNano"]) / 1e9, UTC)


def _span_record(span: dict) -> tuple[date, str, int]:
    values = attribute_values(span)
    total = int(values["gen_ai.usage.input_tokens"]) + int(values["gen_ai.usage.output_tokens"])
    return span_time(span).date(), values["user.email"], total


def merged_pulls(firm_dir: Path) -> list[dict]:
    pulls = []
    for path in kind_files(firm_dir, "github_pulls", set()):
        pulls.extend(p for p in json.loads(read_text(path)) if p["merged_at"])
    return pulls


def team_day_tokens(firm_dir: Path, skip: set[str]) -> dict[str, dict[date, int]]:
    teams = org_map(firm_dir)
    totals: dict[str, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    for day, identity, tokens in usage_records(firm_dir, skip):
        totals[teams.get(identity, "unassigned")][day] += tokens
    return totals


def spike_days(totals: dict[date, int], start: date, end: date) -> list[date]:
    """Days whose tokens exceed SPIKE_RATIO x the median of the trailing 28 days."""
    found = []
    day = start + timedelta(days=MIN_HISTORY)
    while day <= end:
        history = [
            totals.get(day - timedelta(days=back), 0)
            for back in range(1, TRAILING_DAYS + 1)
            if day - timedelta(days=back) >= start
        ]
        if totals.get(day, 0) > SPIKE_RATIO * statistics.median(history):
            found.append(day)
        day += timedelta(days=1)
    return found


def tree_digest(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


# --- fixtures ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> GenerateResult:
    return generate(tmp_path_factory.mktemp("gen") / "out", days=DAYS)


@pytest.fixture(scope="module")
def truth(generated: GenerateResult) -> dict:
    return json.loads(generated.truth_path.read_text())


@pytest.fixture(scope="module")
def bad_files(truth: dict) -> dict[str, set[str]]:
    skip: dict[str, set[str]] = defaultdict(set)
    for bad in truth["bad_inputs"]:
        skip[bad["raw_firm"]].add(bad["file"])
    return skip


def firm_dir(generated: GenerateResult, slug: str) -> Path:
    return next(d for d in generated.firm_dirs if d.name == slug)


# --- determinism ------------------------------------------------------------------------


def test_same_seed_writes_byte_identical_trees(tmp_path: Path) -> None:
    first = generate(tmp_path / "a", firms=6, days=35, seed=11)
    second = generate(tmp_path / "b", firms=6, days=35, seed=11)
    a, b = tree_digest(first.truth_path.parent), tree_digest(second.truth_path.parent)
    assert a == b
    assert len(a) > 50


def test_different_seed_writes_different_data(tmp_path: Path) -> None:
    first = generate(tmp_path / "a", firms=2, days=35, seed=11)
    second = generate(tmp_path / "b", firms=2, days=35, seed=12)
    assert tree_digest(first.truth_path.parent) != tree_digest(second.truth_path.parent)


def test_rerun_into_same_folder_replaces_previous_firms(tmp_path: Path) -> None:
    generate(tmp_path, firms=3, days=35)
    result = generate(tmp_path, firms=2, days=35)
    assert sorted(p.name for p in (tmp_path / "raw").iterdir()) == sorted(
        d.name for d in result.firm_dirs
    )


# --- shapes -----------------------------------------------------------------------------


def test_firms_get_the_documented_mix_of_source_kinds(generated: GenerateResult) -> None:
    kinds = [sorted(p.name for p in d.iterdir() if p.is_dir()) for d in generated.firm_dirs]
    assert kinds == [
        [
            "anthropic_cost_report",
            "copilot_usage_metrics",
            "deployments",
            "github_pulls",
            "jira_issues",
            "openai_costs",
            "otel_genai_spans",
        ],
        [
            "copilot_usage_metrics",
            "github_pulls",
            "github_releases",
            "jira_issues",
            "openai_costs",
            "openai_usage",
        ],
        [
            "anthropic_cost_report",
            "anthropic_usage",
            "claude_code_analytics",
            "claude_code_otel",
            "gitlab_merge_requests",
            "linear_issues",
        ],
        ["daily_totals"],
        [
            "anthropic_cost_report",
            "anthropic_usage",
            "copilot_usage_metrics",
            "github_issues",
            "github_pulls",
            "litellm_spend",
            "openai_costs",
            "openai_usage",
        ],
        [
            "anthropic_cost_report",
            "claude_code_analytics",
            "claude_code_otel",
            "gitlab_merge_requests",
            "jira_issues",
            "openai_costs",
            "otel_genai_spans",
        ],
    ]
    assert {kind for names in kinds for kind in names} == set(SOURCE_KINDS)
    assert len({tuple(names) for names in kinds}) == len(kinds)


def test_firm_profile_and_org_map(generated: GenerateResult) -> None:
    for folder in generated.firm_dirs:
        profile = json.loads((folder / "firm.json").read_text())
        assert set(profile) == {
            "firm_id",
            "size_band",
            "industry",
            "timezone",
            "tco_overhead_multiplier",
            "schema_version",
        }
        assert profile["firm_id"].startswith("f_") and len(profile["firm_id"]) == 12
        assert 1.2 <= profile["tco_overhead_multiplier"] <= 1.5
        with (folder / "org_map.csv").open() as handle:
            rows = list(csv.DictReader(handle))
        assert list(rows[0]) == ["identity", "team", "person"]
        assert len({row["identity"] for row in rows}) == len(rows)
        people = defaultdict(set)
        for row in rows:
            people[row["team"]].add(row["person"])
        sizes = sorted(len(members) for members in people.values())
        assert sizes[0] == 2 and sizes[1] >= 3 and sizes[-1] <= 12
        assert 4 <= len(people) <= 7
        assert len(rows) == 5 * sum(sizes)


def test_otel_spans_follow_otlp_json(generated: GenerateResult) -> None:
    folder = generated.firm_dirs[0] / "otel_genai_spans"
    line = read_text(sorted(folder.iterdir())[10]).splitlines()[0]
    resource = json.loads(line)["resourceSpans"][0]
    assert resource["resource"]["attributes"][0]["key"] == "service.name"
    span = resource["scopeSpans"][0]["spans"][0]
    assert {"traceId", "spanId", "name", "kind", "startTimeUnixNano", "endTimeUnixNano"} <= set(
        span
    )
    assert isinstance(span["startTimeUnixNano"], str)
    assert int(span["startTimeUnixNano"]) % 3_600_000_000_000 != 0
    attributes = {a["key"]: a["value"] for a in span["attributes"]}
    assert isinstance(attributes["gen_ai.usage.input_tokens"]["intValue"], str)
    assert attributes["gen_ai.provider.name"]["stringValue"] in {"openai", "anthropic"}
    assert "@" in attributes["user.email"]["stringValue"]


def test_otel_spans_link_to_open_pull_requests_of_the_same_team(
    generated: GenerateResult,
) -> None:
    folder = generated.firm_dirs[0]
    teams = org_map(folder)
    pulls = {}
    for path in kind_files(folder, "github_pulls", set()):
        for pull in json.loads(read_text(path)):
            pulls[(pull["base"]["repo"]["full_name"], str(pull["number"]))] = pull
    spans = [span for p in kind_files(folder, "otel_genai_spans", set()) for span in spans_in(p)]
    linked = [(span, attribute_values(span)) for span in spans]
    linked = [(span, values) for span, values in linked if "vcs.change.id" in values]
    for span, values in linked:
        url = values["vcs.repository.url.full"]
        repo = url.removeprefix("https://github.com/").removesuffix(".git")
        pull = pulls[(repo, values["vcs.change.id"])]
        assert teams.get(pull["user"]["login"]) == teams.get(values["user.email"])
        assert pull["head"]["ref"] == values["vcs.ref.head.name"]
        at = span_time(span).strftime("%Y-%m-%dT%H:%M:%SZ")
        assert pull["created_at"] <= at <= (pull["closed_at"] or "9999")
    assert 0.33 < len(linked) / len(spans) < 0.47


def test_usage_pages_chain_and_count_tokens_as_vendors_do(generated: GenerateResult) -> None:
    folder = generated.firm_dirs[4]
    openai_pages = [json.loads(read_text(p)) for p in sorted((folder / "openai_usage").iterdir())]
    assert all(page["object"] == "page" for page in openai_pages)
    assert [page["has_more"] for page in openai_pages] == [True] * (len(openai_pages) - 1) + [False]
    assert all(page["next_page"] for page in openai_pages[:-1])
    result = openai_pages[0]["data"][0]["results"][0]
    assert result["input_cached_tokens"] <= result["input_tokens"]
    assert result["user_id"].startswith("user-") and len(result["user_id"]) == 29
    anthropic_pages = [
        json.loads(read_text(p)) for p in sorted((folder / "anthropic_usage").iterdir())
    ]
    assert {"has_more", "next_page", "data"} == set(anthropic_pages[0])
    result = anthropic_pages[0]["data"][0]["results"][0]
    assert result["api_key_id"].startswith("apikey_01")
    assert result["context_window"] in {"0-200k", "200k-1M"}
    assert set(result["cache_creation"]) == {
        "ephemeral_5m_input_tokens",
        "ephemeral_1h_input_tokens",
    }
    for page in anthropic_pages:
        for bucket in page["data"]:
            for r in bucket["results"]:
                share = r["cache_read_input_tokens"] / (
                    r["uncached_input_tokens"]
                    + r["cache_read_input_tokens"]
                    + sum(r["cache_creation"].values())
                )
                assert 0.19 <= share <= 0.71


def test_daily_totals_use_team_names_and_model_classes(generated: GenerateResult) -> None:
    folder = generated.firm_dirs[3]
    teams = set(org_map(folder).values())
    rows = [
        row
        for path in kind_files(folder, "daily_totals", set())
        for row in csv.DictReader(read_text(path).splitlines())
    ]
    assert list(rows[0]) == [
        "date",
        "team",
        "model_class",
        "tokens_consumed",
        "completed_tasks",
        "shipped_artifacts",
        "cycle_time_hours",
        "defect_count",
    ]
    assert {row["team"] for row in rows} == teams
    assert {row["model_class"] for row in rows} == {"frontier", "mid", "small"}
    assert len(rows) == DAYS * len(teams) * 3
    assert sum(int(row["shipped_artifacts"]) for row in rows) > 100


def test_github_pull_pages(generated: GenerateResult) -> None:
    folder = generated.firm_dirs[1]
    paths = sorted((folder / "github_pulls").iterdir())
    assert any(p.name.endswith(".json.gz") for p in paths)
    pulls = [pull for p in paths for pull in json.loads(read_text(p))]
    assert all(len(json.loads(read_text(p))) <= 100 for p in paths)
    pull = pulls[0]
    assert set(PULL_FIELDS) <= set(pull)
    assert pull["base"]["repo"]["full_name"].startswith(folder.name + "/")
    states = [p["state"] for p in pulls]
    merged = sum(1 for p in pulls if p["merged_at"])
    assert 0.8 < merged / len(pulls) < 0.95
    assert "open" in states
    assert any("-" in p["head"]["ref"].split("/")[1] for p in pulls)
    labels = {label["name"] for p in pulls for label in p["labels"]}
    assert labels <= {"feature", "enhancement", "bug", "chore", "docs", "refactor"}


def test_jira_search_pages(generated: GenerateResult, bad_files: dict) -> None:
    folder = generated.firm_dirs[1]
    pages = [json.loads(read_text(p)) for p in kind_files(folder, "jira_issues", set())]
    assert all(not page["isLast"] and page["nextPageToken"] for page in pages[:-1])
    assert pages[-1]["isLast"]
    issues = [issue for page in pages for issue in page["issues"]]
    fields = issues[0]["fields"]
    assert fields["created"][-5] in "+-" and fields["created"][19] == "."
    assert fields["assignee"]["accountId"].startswith("712020:")
    done = [i for i in issues if i["fields"]["status"]["statusCategory"]["key"] == "done"]
    cancelled = [i for i in done if i["fields"]["resolution"]["name"] == "Won't Do"]
    bugs = [i for i in issues if i["fields"]["issuetype"]["name"] == "Bug"]
    assert 0.8 < len(done) / len(issues) < 0.97
    assert 0.03 < len(cancelled) / len(issues) < 0.14
    assert 0.12 < len(bugs) / len(issues) < 0.28


# --- planted truths ---------------------------------------------------------------------


def test_truth_names_existing_firms_teams_and_identities(
    generated: GenerateResult, truth: dict
) -> None:
    assert set(truth) == set(TRUTH_KEYS)
    assert (truth["seed"], truth["firms"], truth["days"]) == (7, 6, DAYS)
    assert truth["end_date"] == "2026-10-31"
    profiles = {d.name: json.loads((d / "firm.json").read_text()) for d in generated.firm_dirs}
    assert len(truth["spikes"]) == 1
    assert len({(o["raw_firm"], o["raw_team"]) for o in truth["outlier_teams"]}) == 1
    assert {bad["defect"] for bad in truth["bad_inputs"]} == {"malformed_json", "negative_tokens"}
    cases = [entry for key in TRUTH_KEYS[5:10] for entry in truth[key]]
    for entry in cases + truth["bad_inputs"]:
        assert profiles[entry["raw_firm"]]["firm_id"] == entry["firm_id"]
        if "raw_team" in entry:
            teams = org_map(firm_dir(generated, entry["raw_firm"])).values()
            assert entry["raw_team"] in teams, entry
    for bad in truth["bad_inputs"]:
        assert (firm_dir(generated, bad["raw_firm"]) / bad["file"]).is_file()
    outlier = truth["outlier_teams"][0]
    folder = firm_dir(generated, outlier["raw_firm"])
    logins = {i for i, t in org_map(folder).items() if t == outlier["raw_team"]}
    merges = Counter(
        p["merged_at"][:7] + "-01" for p in merged_pulls(folder) if p["user"]["login"] in logins
    )
    assert [o["month"] for o in truth["outlier_teams"]] == sorted(
        month for month, count in merges.items() if count >= 3
    )
    assert len(truth["small_teams"]) == len(generated.firm_dirs)
    for small in truth["small_teams"]:
        teams = org_map(firm_dir(generated, small["raw_firm"]))
        people = {i for i, t in teams.items() if t == small["raw_team"] and "@" in i}
        assert small["people"] == len(people) == 2
    assert truth["unmapped_identities"]
    for unmapped in truth["unmapped_identities"]:
        assert unmapped["identity"] not in org_map(firm_dir(generated, unmapped["raw_firm"]))


def test_bad_inputs_are_malformed_or_negative(generated: GenerateResult, truth: dict) -> None:
    for bad in truth["bad_inputs"]:
        text = read_text(firm_dir(generated, bad["raw_firm"]) / bad["file"])
        if bad["defect"] == "malformed_json":
            with pytest.raises(json.JSONDecodeError):
                json.loads(text)
            continue
        page = json.loads(text)
        outputs = [r["output_tokens"] for b in page["data"] for r in b["results"]]
        assert min(outputs) < 0
        assert [b["starting_at"][:10] for b in page["data"]] == [bad["date"]]
        others = kind_files(firm_dir(generated, bad["raw_firm"]), bad["source_kind"], {bad["file"]})
        days = {b["starting_at"][:10] for p in others for b in json.loads(read_text(p))["data"]}
        assert bad["date"] not in days


def test_outlier_team_uses_six_times_the_tokens_per_merged_pr(
    generated: GenerateResult, truth: dict, bad_files: dict
) -> None:
    outlier = truth["outlier_teams"][0]
    folder = firm_dir(generated, outlier["raw_firm"])
    teams = org_map(folder)
    small = {s["raw_team"] for s in truth["small_teams"] if s["raw_firm"] == folder.name}
    tokens: dict[str, int] = defaultdict(int)
    for _, identity, total in usage_records(folder, bad_files[folder.name]):
        tokens[teams.get(identity, "unassigned")] += total
    prs: dict[str, int] = defaultdict(int)
    for pull in merged_pulls(folder):
        prs[teams.get(pull["user"]["login"], "unassigned")] += 1
    ratios = {team: tokens[team] / prs[team] for team in set(teams.values()) - small}
    others = [ratio for team, ratio in ratios.items() if team != outlier["raw_team"]]
    factor = ratios[outlier["raw_team"]] / statistics.median(others)
    assert 4.5 < factor < 7.5
    assert max(others) / min(others) < 2.0


def test_no_team_month_but_the_outlier_exceeds_three_times_its_firm_median(
    generated: GenerateResult, truth: dict, bad_files: dict
) -> None:
    flagged = set()
    for folder in generated.firm_dirs:
        if not (folder / "github_pulls").is_dir():
            continue
        teams = org_map(folder)
        tokens: dict[tuple[str, str], int] = defaultdict(int)
        for day, identity, total in usage_records(folder, bad_files[folder.name]):
            tokens[(teams.get(identity, "unassigned"), day.isoformat()[:7])] += total
        prs: dict[tuple[str, str], int] = defaultdict(int)
        for pull in merged_pulls(folder):
            prs[(teams.get(pull["user"]["login"], "unassigned"), pull["merged_at"][:7])] += 1
        by_month: dict[str, dict[str, float]] = defaultdict(dict)
        for (team, month), count in prs.items():
            by_month[month][team] = tokens[(team, month)] / count
        for ratios in by_month.values():
            median = statistics.median(ratios.values())
            flagged |= {(folder.name, t) for t, r in ratios.items() if r > 3 * median}
    outlier = truth["outlier_teams"][0]
    assert flagged == {(outlier["raw_firm"], outlier["raw_team"])}


def test_only_the_planted_spike_team_exceeds_twice_its_trailing_median(
    generated: GenerateResult, truth: dict, bad_files: dict
) -> None:
    """Each team from its first usage day, as the mart sees it: a team that adopts later
    starts a new series rather than jumping from zero."""
    start, end = date.fromisoformat(truth["start_date"]), date.fromisoformat(truth["end_date"])
    spike = truth["spikes"][0]
    spike_date = date.fromisoformat(spike["date"])
    assert spike_date >= start + timedelta(days=30)
    for folder in generated.firm_dirs:
        for team, totals in team_day_tokens(folder, bad_files[folder.name]).items():
            found = spike_days(totals, min(totals), end)
            if (folder.name, team) == (spike["raw_firm"], spike["raw_team"]):
                assert found[0] == spike_date
                assert all(spike_date <= day <= spike_date + timedelta(days=3) for day in found)
            else:
                assert found == [], (folder.name, team)


def test_spike_model_is_new_to_the_team_and_the_firm(
    generated: GenerateResult, truth: dict
) -> None:
    spike = truth["spikes"][0]
    folder = firm_dir(generated, spike["raw_firm"])
    teams = org_map(folder)
    seen: dict[tuple[bool, str], set[str]] = defaultdict(set)
    for path in sorted((folder / spike["source_kind"]).iterdir()):
        for span in spans_in(path):
            values = attribute_values(span)
            in_team = teams.get(values["user.email"]) == spike["raw_team"]
            seen[(in_team, values["gen_ai.response.model"])].add(span_time(span).date().isoformat())
    assert min(seen[(True, spike["model"])]) == spike["date"]
    assert not seen[(False, spike["model"])]
    assert max(seen[(True, spike["previous_model"])]) < spike["date"]
    assert seen[(False, spike["previous_model"])]  # the firm's other teams keep it


# --- the kinds added beside the first six -------------------------------------------------


def test_claude_code_metrics_follow_otlp_json(generated: GenerateResult) -> None:
    folder = generated.firm_dirs[2] / "claude_code_otel"
    paths = sorted(folder.iterdir())
    assert paths and all(p.name.endswith(".jsonl.gz") for p in paths)
    export = json.loads(read_text(paths[5]).splitlines()[0])
    scope = export["resourceMetrics"][0]["scopeMetrics"][0]
    assert scope["scope"]["name"] == "com.anthropic.claude_code"
    metrics = {metric["name"]: metric for metric in scope["metrics"]}
    usage = metrics["claude_code.token.usage"]["sum"]
    assert usage["aggregationTemporality"] == 1
    types = set()
    for point in usage["dataPoints"]:
        attrs = {a["key"]: a["value"]["stringValue"] for a in point["attributes"]}
        assert {"session.id", "user.email", "user.account_uuid", "model", "type"} <= set(attrs)
        assert isinstance(point["timeUnixNano"], str)
        types.add(attrs["type"])
    assert types == {"input", "output", "cacheRead", "cacheCreation"}
    assert "claude_code.cost.usage" in metrics


def _team_day_tokens(records: list[tuple[date, str, int]], teams: dict[str, str]) -> Counter:
    """Tokens per (team, UTC day); identities missing from the org map are `unassigned`."""
    totals: Counter = Counter()
    for day, identity, tokens in records:
        totals[(teams.get(identity, "unassigned"), day)] += tokens
    return totals


def _claude_code_analytics_records(firm_dir: Path) -> list[tuple[date, str, int]]:
    records = []
    for path in sorted((firm_dir / "claude_code_analytics").iterdir()):
        page = json.loads(read_text(path))
        for record in page["data"]:
            actor = record["actor"]
            identity = actor.get("email_address") or actor.get("api_key_name")
            tokens = sum(sum(m["tokens"].values()) for m in record["model_breakdown"])
            records.append((date.fromisoformat(record["date"][:10]), identity, tokens))
    return records


def test_claude_code_analytics_tokens_equal_the_telemetry_per_team_day(
    generated: GenerateResult,
) -> None:
    firms = [d for d in generated.firm_dirs if (d / "claude_code_analytics").is_dir()]
    assert firms and all((d / "claude_code_otel").is_dir() for d in firms)
    for firm_dir in firms:
        teams = org_map(firm_dir)
        telemetry = []
        for path in kind_files(firm_dir, "claude_code_otel", set()):
            telemetry.extend(_claude_code_records(path))
        analytics = _team_day_tokens(_claude_code_analytics_records(firm_dir), teams)
        assert analytics == _team_day_tokens(telemetry, teams), firm_dir.name
        assert len(analytics) > 50 and sum(analytics.values()) > 0


def test_claude_code_analytics_pages_and_pull_requests_follow_the_team(
    generated: GenerateResult,
) -> None:
    folder = generated.firm_dirs[2]
    pages = [json.loads(read_text(p)) for p in sorted((folder / "claude_code_analytics").iterdir())]
    assert all(page["has_more"] == (page["next_page"] is not None) for page in pages)
    records = [record for page in pages for record in page["data"]]
    assert {r["actor"]["type"] for r in records} == {"user_actor", "api_actor"}
    for record in records:
        assert record["date"].endswith("T00:00:00Z")
        core = record["core_metrics"]
        assert core["commits_by_claude_code"] >= core["pull_requests_by_claude_code"] >= 0
    by_claude = sum(r["core_metrics"]["pull_requests_by_claude_code"] for r in records)
    opened = [
        p
        for path in kind_files(folder, "gitlab_merge_requests", set())
        for p in json.loads(read_text(path))
    ]
    assert 0 < by_claude < len(opened)


def test_copilot_reports_overlap_and_carry_no_tokens_but_the_clis(
    generated: GenerateResult,
) -> None:
    firms = [d for d in generated.firm_dirs if (d / "copilot_usage_metrics").is_dir()]
    assert {d.name for d in firms} == {
        d.name for d in generated.firm_dirs if (d / "github_pulls").is_dir()
    }
    for firm_dir in firms:
        teams = org_map(firm_dir)
        seen: Counter = Counter()
        for path in sorted((firm_dir / "copilot_usage_metrics").iterdir()):
            for line in read_text(path).splitlines():
                record = json.loads(line)
                seen[(record["user_login"], record["day"])] += 1
                assert "token_usage" not in json.dumps(record["totals_by_ide"])
                features = record["totals_by_feature"]
                assert record["loc_added_sum"] == sum(f["loc_added_sum"] for f in features)
        assert max(seen.values()) > 1  # consecutive 28-day reports repeat days
        assert {login for login, _ in seen} <= set(teams) | contractor_logins(firm_dir)


def contractor_logins(firm_dir: Path) -> set[str]:
    """Logins of pull request authors the org map does not list (the firm's contractors)."""
    authors = {
        pull["user"]["login"]
        for path in kind_files(firm_dir, "github_pulls", set())
        for pull in json.loads(read_text(path))
    }
    return authors - set(org_map(firm_dir))


def test_litellm_spend_logs_overlap_and_count_cache_reads_in_prompt_tokens(
    generated: GenerateResult,
) -> None:
    folder = generated.firm_dirs[4] / "litellm_spend"
    paths = sorted(folder.iterdir())
    assert all(p.read_bytes().startswith("\ufeff".encode()) for p in paths)
    rows = [
        row for p in paths for row in csv.DictReader(read_text(p).lstrip("\ufeff").splitlines())
    ]
    ids = [row["request_id"] for row in rows]
    assert len(set(ids)) < len(ids)  # the monthly exports overlap
    for row in rows[:200]:
        usage = json.loads(row["metadata"])["usage_object"]
        assert usage["prompt_tokens_details"]["cached_tokens"] <= int(row["prompt_tokens"])
        assert int(row["total_tokens"]) == int(row["prompt_tokens"]) + int(row["completion_tokens"])
        assert row["cache_hit"] == "False" and row["status"] == "success"
        assert len(row["startTime"]) == 23  # Postgres timestamp(3)


def test_gitlab_linear_and_github_issue_pages(generated: GenerateResult) -> None:
    gitlab = generated.firm_dirs[2]
    mrs = [
        mr
        for p in kind_files(gitlab, "gitlab_merge_requests", set())
        for mr in json.loads(read_text(p))
    ]
    assert {mr["state"] for mr in mrs} == {"merged", "closed", "opened"}
    assert all(mr["references"]["full"].endswith(f"!{mr['iid']}") for mr in mrs)
    assert all(mr["created_at"].endswith("Z") and mr["created_at"][19] == "." for mr in mrs)
    (linear,) = kind_files(gitlab, "linear_issues", set())
    rows = list(csv.DictReader(read_text(linear).lstrip("\ufeff").splitlines()))
    assert list(rows[0])[:5] == ["ID", "Team", "Title", "Description", "Status"]
    assert {row["Status"] for row in rows} >= {"Done", "Canceled"}
    assert any("," in row["Labels"] for row in rows)
    issues = [
        issue
        for p in kind_files(generated.firm_dirs[4], "github_issues", set())
        for issue in json.loads(read_text(p))
    ]
    pulls = [issue for issue in issues if "pull_request" in issue]
    assert pulls and len(pulls) < len(issues)
    numbers = {(issue["repository_url"], issue["number"]) for issue in issues}
    assert len(numbers) == len(issues)  # issues and pull requests share the numbers
    reasons = {issue["state_reason"] for issue in issues if "pull_request" not in issue}
    assert reasons == {None, "completed", "not_planned"}


def test_releases_and_deployments(generated: GenerateResult) -> None:
    releases = [
        release
        for p in kind_files(generated.firm_dirs[1], "github_releases", set())
        for release in json.loads(read_text(p))
    ]
    assert any(release["prerelease"] for release in releases)
    drafts = [release for release in releases if release["draft"]]
    assert drafts and all(release["published_at"] is None for release in drafts)
    folder = generated.firm_dirs[0] / "deployments"
    deployments = [
        d for p in sorted(folder.glob("deployments_*.json")) for d in json.loads(read_text(p))
    ]
    statuses = [
        s
        for p in sorted(folder.glob("deployment_statuses_*.json"))
        for s in json.loads(read_text(p))
    ]
    urls = {d["url"] for d in deployments}
    assert {s["deployment_url"] for s in statuses} <= urls
    assert {s["state"] for s in statuses} == {"in_progress", "success", "failure", "inactive"}
    assert {d["environment"] for d in deployments} == {"staging", "production"}


# --- vendor cost reports ---------------------------------------------------------------

# provider, UTC day, model, service tier, context-window class, billed token type
BilledKey = tuple[str, date, str, str, str, str]
LONG_REQUEST_TOKENS = 200_000


def _context(request_input_tokens: int) -> str:
    return "200k-1M" if request_input_tokens > LONG_REQUEST_TOKENS else "0-200k"


def _add(billed: dict, provider: str, day: date, model: str, tokens: dict[str, int], **key) -> None:
    tier, context = key.get("tier", "standard"), key.get("context", "0-200k")
    for token_type, count in tokens.items():
        billed[(provider, day, model, tier, context, token_type)] += count


def billed_from_files(firm_dir: Path) -> dict[BilledKey, int]:
    """Every token the firm's usage files hold that a vendor bills, read back from the files:
    OTel and LiteLLM per request, the usage reports per row, Claude Code per data point."""
    billed: dict[BilledKey, int] = defaultdict(int)
    kinds = {p.name for p in firm_dir.iterdir() if p.is_dir()}
    if "otel_genai_spans" in kinds:
        for path in kind_files(firm_dir, "otel_genai_spans", set()):
            for span in spans_in(path):
                _bill_span(billed, span)
    if "openai_usage" in kinds:
        for path in kind_files(firm_dir, "openai_usage", set()):
            for bucket in json.loads(read_text(path))["data"]:
                day = datetime.fromtimestamp(bucket["start_time"], UTC).date()
                for r in bucket["results"]:
                    cached = r["input_cached_tokens"]
                    tokens = {
                        "input": r["input_tokens"] - cached,
                        "cache_read": cached,
                        "output": r["output_tokens"],
                    }
                    tier = "batch" if r["batch"] else "standard"
                    _add(billed, "openai", day, r["model"], tokens, tier=tier)
    if "anthropic_usage" in kinds:
        for path in kind_files(firm_dir, "anthropic_usage", set()):
            for bucket in json.loads(read_text(path))["data"]:
                day = date.fromisoformat(bucket["starting_at"][:10])
                for r in bucket["results"]:
                    if r["output_tokens"] < 0:
                        continue  # the planted negative re-export row: a defect, not usage
                    tokens = {
                        "input": r["uncached_input_tokens"],
                        "output": r["output_tokens"],
                        "cache_read": r["cache_read_input_tokens"],
                        "cache_write_5m": r["cache_creation"]["ephemeral_5m_input_tokens"],
                        "cache_write_1h": r["cache_creation"]["ephemeral_1h_input_tokens"],
                    }
                    _add(
                        billed,
                        "anthropic",
                        day,
                        r["model"],
                        tokens,
                        tier=r["service_tier"],
                        context=r["context_window"],
                    )
    if "litellm_spend" in kinds:
        _bill_litellm(billed, firm_dir)
    if "claude_code_otel" in kinds:
        for path in kind_files(firm_dir, "claude_code_otel", set()):
            _bill_claude_code(billed, path)
    return billed


def _bill_span(billed: dict, span: dict) -> None:
    attrs = attribute_values(span)
    inputs = int(attrs["gen_ai.usage.input_tokens"])
    cache_read = int(attrs["gen_ai.usage.cache_read.input_tokens"])
    cache_write = int(attrs.get("gen_ai.usage.cache_creation.input_tokens", 0))
    tokens = {
        "input": inputs - cache_read - cache_write,
        "output": int(attrs["gen_ai.usage.output_tokens"]),
        "cache_read": cache_read,
        "cache_write_5m": cache_write,
    }
    provider, model = attrs["gen_ai.provider.name"], attrs["gen_ai.request.model"]
    _add(billed, provider, span_time(span).date(), model, tokens, context=_context(inputs))


def _bill_litellm(billed: dict, firm_dir: Path) -> None:
    requests = {}  # monthly exports overlap by a day: each request once
    for path in kind_files(firm_dir, "litellm_spend", set()):
        for row in csv.DictReader(read_text(path).lstrip("\ufeff").splitlines()):
            requests[row["request_id"]] = row
    for row in requests.values():
        assert row["cache_hit"] == "False"  # a proxy-cache hit would reach no provider
        usage = json.loads(row["metadata"])["usage_object"]
        cache_read = usage["prompt_tokens_details"]["cached_tokens"]
        cache_write = usage.get("cache_creation_input_tokens", 0)
        prompt = int(row["prompt_tokens"])
        tokens = {
            "input": prompt - cache_read,
            "output": int(row["completion_tokens"]),
            "cache_read": cache_read,
            "cache_write_5m": cache_write,
        }
        day = date.fromisoformat(row["startTime"][:10])
        context = _context(prompt + cache_write)
        _add(billed, row["custom_llm_provider"], day, row["model"], tokens, context=context)


def _bill_claude_code(billed: dict, path: Path) -> None:
    types = {"input": "input", "output": "output", "cacheRead": "cache_read"}
    types["cacheCreation"] = "cache_write_5m"
    for day, attrs, tokens in _claude_code_token_points(path):
        _add(billed, "anthropic", day, attrs["model"], {types[attrs["type"]]: tokens})


def priced_days(billed: dict[BilledKey, int]) -> dict[tuple[str, date], Decimal]:
    """USD per provider and day at the vendor's prices."""
    costs: dict[tuple[str, date], Decimal] = defaultdict(Decimal)
    for (provider, day, model, tier, context, token_type), tokens in billed.items():
        rate = vendor_rates(provider, model, day, tier, context).per_token_type(token_type)
        costs[(provider, day)] += tokens * rate / 1_000_000
    return {key: cost for key, cost in costs.items() if cost}


def reported_days(firm_dir: Path) -> dict[tuple[str, date], Decimal]:
    """USD per provider and day of the firm's cost reports (days with cost lines)."""
    reported: dict[tuple[str, date], Decimal] = defaultdict(Decimal)
    folder = firm_dir / "anthropic_cost_report"
    for path in sorted(folder.iterdir()) if folder.is_dir() else []:
        for bucket in json.loads(read_text(path))["data"]:
            day = date.fromisoformat(bucket["starting_at"][:10])
            for r in bucket["results"]:
                assert r["currency"] == "USD"
                reported[("anthropic", day)] += Decimal(r["amount"]) / 100
    folder = firm_dir / "openai_costs"
    for path in sorted(folder.iterdir()) if folder.is_dir() else []:
        for bucket in json.loads(read_text(path))["data"]:
            day = datetime.fromtimestamp(bucket["start_time"], UTC).date()
            for r in bucket["results"]:
                assert r["amount"]["currency"] == "usd"
                reported[("openai", day)] += Decimal(str(r["amount"]["value"]))
    return dict(reported)


def test_cost_reports_bill_the_usage_files_tokens_at_vendor_prices(
    generated: GenerateResult,
) -> None:
    compared = 0
    for folder in generated.firm_dirs:
        expected, reported = priced_days(billed_from_files(folder)), reported_days(folder)
        assert set(reported) == set(expected), folder.name
        for key, cost in expected.items():
            assert abs(reported[key] - cost) < Decimal("0.000001"), (folder.name, key)
        compared += len(expected)
    providers = {
        provider for folder in generated.firm_dirs for provider, _ in reported_days(folder)
    }
    assert providers == {"anthropic", "openai"}
    assert compared > 100


def test_cost_report_pages_chain_week_by_week(generated: GenerateResult) -> None:
    for kind, days in (("anthropic_cost_report", "starting_at"), ("openai_costs", "start_time")):
        folder = generated.firm_dirs[4] / kind
        pages = [json.loads(read_text(p)) for p in sorted(folder.iterdir())]
        assert [page["has_more"] for page in pages] == [True] * (len(pages) - 1) + [False]
        assert all(page["next_page"] for page in pages[:-1]) and pages[-1]["next_page"] is None
        assert [len(page["data"]) for page in pages[:-1]] == [7] * (len(pages) - 1)
        assert sum(len(page["data"]) for page in pages) == DAYS
        assert len({bucket[days] for page in pages for bucket in page["data"]}) == DAYS


def test_pricing_traps_bite_for_the_demo_seed(generated: GenerateResult, truth: dict) -> None:
    traps = truth["pricing_traps"]
    assert {trap["trap"] for trap in traps} == {"long_context", "cache_write_1h"}
    vendor = {
        (entry["raw_firm"], entry["provider"], entry["month"]): Decimal(entry["vendor_cost_usd"])
        for entry in truth["vendor_costs"]
    }
    for trap in traps:
        cost, naive = Decimal(trap["vendor_cost_usd"]), Decimal(trap["naive_cost_usd"])
        assert naive < cost * Decimal("0.995")  # both traps under-price what the vendor bills
        assert vendor[(trap["raw_firm"], trap["provider"], trap["month"])] == cost
    # the truth's monthly totals are what the firms' cost reports add up to
    months: dict[tuple[str, str, str], Decimal] = defaultdict(Decimal)
    for folder in generated.firm_dirs:
        for (provider, day), cost in reported_days(folder).items():
            months[(folder.name, provider, day.replace(day=1).isoformat())] += cost
    assert set(months) == set(vendor)
    for key, cost in vendor.items():
        assert abs(months[key] - cost) < Decimal("0.00001"), key


def test_vendor_costs_isolate_the_unpriced_trial_model(truth: dict) -> None:
    trial_firms = {(case["raw_firm"], "openai") for case in truth["unpriced_models"]}
    unpriced = {
        (entry["raw_firm"], entry["provider"])
        for entry in truth["vendor_costs"]
        if Decimal(entry["unpriced_model_cost_usd"]) > 0
    }
    assert trial_firms and unpriced == trial_firms
