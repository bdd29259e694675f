"""``anonymize_firm``: raw exports of one firm in, anonymized landing files out.

Raw files are streamed record by record; the (much smaller) anonymized output is built in
memory and scanned for leaks, and for fields outside its kind's allow-list, before anything
is written: a run either lands everything it could read, or (on a leak) nothing at all.
Files it could not read are reported, and copied with a reason into the firm-side
quarantine when one is given. The landed files are listed in the firm's export manifest.
A dry run does all of it but write: it reports what would land and what is left behind.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import tpsp
from tpsp.anonymize.allow_lists import fields_outside
from tpsp.anonymize.discover import RawFile, discover, landable_stem
from tpsp.anonymize.field_paths import (
    FieldPath,
    content_paths,
    leaves,
    outermost,
    record_paths,
)
from tpsp.anonymize.firm_json import read_firm_json
from tpsp.anonymize.hashing import id_pseudonym
from tpsp.anonymize.io import RawFileError, dump_json, open_text, raw_stem
from tpsp.anonymize.kinds import KINDS, KindContext, KindOutput
from tpsp.anonymize.landing import LandedFile, day_folder, write_landing
from tpsp.anonymize.leaks import Leak, LeakScanner, Sensitive, refuse_leaks
from tpsp.anonymize.manifest import (
    MANIFEST_FILE,
    ExportManifest,
    ManifestError,
    read_manifest,
    rules_applied,
    sha256_of,
    updated_manifest,
    write_manifest,
)
from tpsp.anonymize.org_map import OrgMap, TeamAssigner, read_org_map
from tpsp.anonymize.parquet import LANDING_FORMATS, PARQUET_EXT, PARQUET_LAYOUTS, to_parquet
from tpsp.anonymize.quarantine import quarantine_raw
from tpsp.anonymize.records import RecordError
from tpsp.anonymize.report import AnonymizeReport, ExportedFile, RawWarning, SkippedFile
from tpsp.errors import InputError
from tpsp.source_kinds import SOURCE_KINDS


def _check_arguments(firm_dir: Path, secret: bytes, min_team_size: int) -> None:
    if not isinstance(secret, bytes):
        raise InputError("the secret must be given as bytes (see read_secret_file)")
    if not secret.strip():
        raise InputError("the secret is empty; the anonymizer needs the firm's secret")
    if isinstance(min_team_size, bool) or not isinstance(min_team_size, int) or min_team_size < 1:
        raise InputError("min_team_size must be a whole number of at least 1")
    if not firm_dir.is_dir():
        raise InputError(f"firm folder not found: {firm_dir}")


def _observed(documents: Iterable[Any], paths: set[FieldPath]) -> Iterator[Any]:
    """The raw documents, noting the field paths each one holds on the way through."""
    for document in documents:
        record_paths(document, paths)
        yield document


def _anonymize_file(
    raw: RawFile, ctx: KindContext, raw_paths: set[FieldPath] | None = None
) -> KindOutput:
    module = KINDS[raw.kind]
    if raw.fmt not in module.FORMATS:
        accepted = ", ".join(f".{fmt}" for fmt in module.FORMATS)
        raise RawFileError("unsupported_extension", f"{raw.kind} accepts {accepted} (or .gz)")
    with open_text(raw.path) as handle:
        documents = module.parse(handle, raw.fmt)
        if raw_paths is not None:
            documents = _observed(documents, raw_paths)
        try:
            return module.transform(documents, ctx)
        except RecordError as exc:
            raise RawFileError("malformed_record", str(exc)) from exc


def _merge_files(
    firm_dir: Path, outputs: list[tuple[RawFile, KindOutput]]
) -> list[tuple[RawFile, KindOutput]]:
    """Kinds that merge their files get one output for all of them, named after the kind."""
    by_kind: dict[str, list[tuple[RawFile, KindOutput]]] = defaultdict(list)
    for raw, output in outputs:
        by_kind[raw.kind].append((raw, output))
    merged: list[tuple[RawFile, KindOutput]] = []
    for kind, items in by_kind.items():
        module = KINDS[kind]
        if not getattr(module, "MERGES_FILES", False):
            merged.extend(items)
            continue
        whole = module.merge([output for _, output in items])
        merged.append((RawFile(kind, firm_dir / kind, Path(kind), items[0][0].fmt, kind), whole))
    return merged


def _unknown_fields_warning(raw: RawFile, fields: set[str]) -> RawWarning:
    listed = ", ".join(sorted(fields)[:10]) + (" …" if len(fields) > 10 else "")
    return RawWarning(
        raw.relative,
        f"{len(fields)} field(s) {raw.kind} does not know were left behind: {listed}",
        "unknown_fields",
    )


def _sensitive(org_map: OrgMap, teams: TeamAssigner, secret: bytes) -> Sensitive:
    return Sensitive(
        identities=frozenset(
            set(org_map.team_of_identity)
            | set(org_map.person_of_identity.values())
            | teams.seen_identities
        ),
        team_names=frozenset(set(org_map.team_names) | teams.seen_team_names),
        secret=secret,
        constants=frozenset().union(*(module.CONSTANTS for module in KINDS.values())),
    )


def _landed_stem(scanner: LeakScanner, raw: RawFile, secret: bytes) -> str:
    """The raw file's stem, or its pseudonym when the stem itself would reveal an identity,
    a team name or an email (a raw file named after a person, team or repository)."""
    original = raw.stem
    if raw.path.is_file():  # the name as exported, before unsafe characters were replaced
        base = raw_stem(raw.path)
        original = base + raw.stem[len(landable_stem(base)) :]
    if scanner.check(original) is None and scanner.check(raw.stem) is None:
        return raw.stem
    return id_pseudonym(secret, original)


def _landed_files(
    outputs: list[tuple[RawFile, KindOutput]],
    scanner: LeakScanner,
    secret: bytes,
    landing_format: str,
) -> tuple[list[LandedFile], list[Path]]:
    """The files to land, and the raw files whose name had to be replaced by a pseudonym."""
    files: list[LandedFile] = []
    renamed: list[Path] = []
    for raw, output in outputs:
        stem = _landed_stem(scanner, raw, secret)
        if stem != raw.stem:
            renamed.append(raw.relative)
        module = KINDS[raw.kind]
        in_parquet = landing_format == PARQUET_EXT and raw.kind in PARQUET_LAYOUTS
        name = f"{stem}.{PARQUET_EXT if in_parquet else SOURCE_KINDS[raw.kind].landed_ext}"
        for day in sorted(output.days):
            content = output.days[day]
            data = module.serialize(content)
            if in_parquet:
                data = to_parquet(raw.kind, data)
            files.append(LandedFile(raw.kind, day, name, content, data))
    return files, renamed


def _find_leaks(
    sensitive: Sensitive, scanner: LeakScanner, landed_firm: dict, files: list[LandedFile]
) -> list[Leak]:
    # firm.json's segment values (industry, time zone) may share a word with a team name
    # ("payments", "berlin") without saying anything about the team: not checked for those.
    firm_scanner = LeakScanner(replace(sensitive, team_names=frozenset()))
    leaks = list(firm_scanner.scan("firm.json", landed_firm))
    for landed in files:
        where = f"{landed.kind} {landed.day.isoformat()}/{landed.name}"
        leaks.extend(
            Leak(f"{where}: {path}", f"a field outside the {landed.kind} allow-list", None)
            for path in fields_outside(landed.kind, landed.content)
        )
        leaks.extend(scanner.scan(where, landed.content))
    return leaks


def _exported(files: list[LandedFile]) -> list[ExportedFile]:
    return [
        ExportedFile(
            path=Path(landed.kind, landed.day.isoformat(), landed.name),
            kind=landed.kind,
            day=landed.day,
            rows=KINDS[landed.kind].count_rows(landed.content),
            sha256=sha256_of(landed.data),
        )
        for landed in files
    ]


def _describe_fields(
    report: AnonymizeReport, raw_paths: dict[str, set[FieldPath]], files: list[LandedFile]
) -> None:
    """Per kind: the landed fields, and the raw fields that do not land (outermost first:
    ``user``, not each of ``user.login``, ``user.id``)."""
    landed_paths: dict[str, set[FieldPath]] = defaultdict(set)
    for landed in files:
        landed_paths[landed.kind] |= content_paths(landed.content)
    for kind in sorted(set(raw_paths) | set(landed_paths)):
        report.fields_kept[kind] = leaves(landed_paths[kind])
        report.fields_dropped[kind] = outermost(raw_paths.get(kind, set()) - landed_paths[kind])


def _previous_manifest(firm_landing: Path, firm_id: str) -> ExportManifest | None:
    """The manifest an earlier run left; an unreadable one is rebuilt from this run alone
    (the day folders it listed then fail the warehouse's check until they are re-sent)."""
    try:
        return read_manifest(firm_landing / MANIFEST_FILE, firm_id)
    except ManifestError:
        return None


def _land(
    report: AnonymizeReport,
    firm_landing: Path,
    files: list[LandedFile],
    landed_firm: dict,
    min_team_size: int,
) -> None:
    """Write the day folders and firm.json, then the manifest that lists them."""
    previous = _previous_manifest(firm_landing, report.firm_id)
    written, replaced = write_landing(
        firm_landing, files, dump_json(landed_firm), anonymizer_version=tpsp.__version__
    )
    report.landed_files = written
    report.replaced_day_folders = replaced
    manifest = updated_manifest(
        previous,
        report.firm_id,
        (
            (exported.path.as_posix(), exported.sha256, exported.rows)
            for exported in report.exported
        ),
        rules_applied(min_team_size),
    )
    report.manifest = write_manifest(firm_landing, manifest)


def anonymize_firm(
    firm_dir: Path,
    secret: bytes,
    landing: Path,
    min_team_size: int = 3,
    quarantine: Path | None = None,
    *,
    dry_run: bool = False,
    landing_format: str = "json",
) -> AnonymizeReport:
    """Anonymize every raw export under ``firm_dir`` into ``landing/<firm_id>/``.

    Raises ``InputError`` when the run cannot start (no firm.json, org map or secret) and
    ``LeakError`` when the output would contain an identity, email, URL, team name, the
    secret or a field outside its kind's allow-list; in both cases nothing is written.
    Unreadable files are skipped and reported, and copied with a ``reason.json`` to
    ``quarantine/<firm_id>/`` when ``quarantine`` is given. The landed files are listed in
    ``landing/<firm_id>/export_manifest.json``. With ``dry_run`` nothing at all is written:
    the report says what would land (``exported``) and which fields each kind keeps and
    leaves behind. ``landing_format`` ``"parquet"`` lands the kinds of
    ``tpsp.anonymize.parquet.PARQUET_LAYOUTS`` in Parquet, the others as with ``"json"``.
    """
    firm_dir, landing = Path(firm_dir), Path(landing)
    _check_arguments(firm_dir, secret, min_team_size)
    if landing_format not in LANDING_FORMATS:
        raise InputError(
            f"unknown landing format {landing_format!r}: use one of {', '.join(LANDING_FORMATS)}"
        )
    try:
        firm = read_firm_json(firm_dir / "firm.json")
    except InputError as exc:
        if quarantine is not None and not dry_run:  # keep the reason beside the firm profile
            quarantine_raw(
                Path(quarantine),
                firm_dir.name,
                firm_dir,
                SkippedFile(Path("firm.json"), str(exc), "firm_json_unusable"),
            )
        raise
    org_map = read_org_map(firm_dir / "org_map.csv", min_team_size)
    raw_files, skipped = discover(firm_dir)
    report = AnonymizeReport(
        firm_id=firm["firm_id"],
        skipped_files=skipped,
        merged_small_teams=sorted(org_map.team_names[team] for team in org_map.small_teams),
        dry_run=dry_run,
    )
    raw_paths: dict[str, set[FieldPath]] = defaultdict(set)  # dry runs: raw fields per kind

    seen = TeamAssigner(org_map, secret)  # what all landed files saw, for counts and the scan
    outputs: list[tuple[RawFile, KindOutput]] = []
    shared: dict[str, dict] = defaultdict(dict)  # per kind, across the kind's files
    for raw in raw_files:
        teams = TeamAssigner(org_map, secret)
        ctx = KindContext(secret=secret, teams=teams, shared=shared[raw.kind])
        report.rows_in.setdefault(raw.kind, 0)
        file_paths: set[FieldPath] | None = set() if dry_run else None
        try:
            output = _anonymize_file(raw, ctx, file_paths)
        except RawFileError as exc:
            report.skipped_files.append(SkippedFile(raw.relative, exc.reason, exc.code))
            continue
        raw_paths[raw.kind] |= file_paths or set()
        seen.absorb(teams)
        report.rows_in[raw.kind] += output.rows_in
        if ctx.unknown_fields:
            report.warnings.append(_unknown_fields_warning(raw, ctx.unknown_fields))
        outputs.append((raw, output))
    outputs = _merge_files(firm_dir, outputs)
    for raw, output in outputs:
        report.rows_out[raw.kind] = report.rows_out.get(raw.kind, 0) + output.rows_out
        if output.duplicates:
            report.duplicates[raw.kind] = report.duplicates.get(raw.kind, 0) + output.duplicates
    for kind in report.rows_in:
        report.rows_out.setdefault(kind, 0)
    report.unassigned_identities = len(seen.unassigned_identities)
    report.unmapped_teams = len(seen.unmapped_team_names)

    landed_firm = firm | {"anonymizer_version": tpsp.__version__}
    sensitive = _sensitive(org_map, seen, secret)
    scanner = LeakScanner(sensitive)
    files, report.renamed_files = _landed_files(outputs, scanner, secret, landing_format)
    refuse_leaks(_find_leaks(sensitive, scanner, landed_firm, files))
    report.exported = _exported(files)

    firm_landing = landing / firm["firm_id"]
    if dry_run:
        _describe_fields(report, raw_paths, files)
        folders = {day_folder(firm_landing, landed.kind, landed.day) for landed in files}
        report.replaced_day_folders = sorted(folder for folder in folders if folder.exists())
        return report
    _land(report, firm_landing, files, landed_firm, min_team_size)
    if quarantine is not None:
        report.skipped_files = [
            quarantine_raw(Path(quarantine), firm["firm_id"], firm_dir, skipped)
            for skipped in report.skipped_files
        ]
    return report
