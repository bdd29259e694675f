"""``anonymize_firm``: raw exports of one firm in, anonymized landing files out.

Raw files are streamed record by record; the (much smaller) anonymized output is built in
memory and scanned for leaks before anything is written: a run either lands everything it
could read, or (on a leak) nothing at all. Files it could not read are reported, and copied
with a reason into the firm-side quarantine when one is given.
"""

from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import tpsp
from tpsp.anonymize.discover import RawFile, discover, landable_stem
from tpsp.anonymize.firm_json import read_firm_json
from tpsp.anonymize.hashing import id_pseudonym
from tpsp.anonymize.io import RawFileError, dump_json, open_text, raw_stem
from tpsp.anonymize.kinds import KINDS, KindContext, KindOutput
from tpsp.anonymize.landing import LandedFile, write_landing
from tpsp.anonymize.leaks import Leak, LeakScanner, Sensitive, refuse_leaks
from tpsp.anonymize.org_map import OrgMap, TeamAssigner, read_org_map
from tpsp.anonymize.quarantine import quarantine_raw
from tpsp.anonymize.records import RecordError
from tpsp.anonymize.report import AnonymizeReport, RawWarning, SkippedFile
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


def _anonymize_file(raw: RawFile, ctx: KindContext) -> KindOutput:
    module = KINDS[raw.kind]
    if raw.fmt not in module.FORMATS:
        accepted = ", ".join(f".{fmt}" for fmt in module.FORMATS)
        raise RawFileError("unsupported_extension", f"{raw.kind} accepts {accepted} (or .gz)")
    with open_text(raw.path) as handle:
        try:
            return module.transform(module.parse(handle, raw.fmt), ctx)
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
    outputs: list[tuple[RawFile, KindOutput]], scanner: LeakScanner, secret: bytes
) -> tuple[list[LandedFile], list[Path]]:
    """The files to land, and the raw files whose name had to be replaced by a pseudonym."""
    files: list[LandedFile] = []
    renamed: list[Path] = []
    for raw, output in outputs:
        stem = _landed_stem(scanner, raw, secret)
        if stem != raw.stem:
            renamed.append(raw.relative)
        module = KINDS[raw.kind]
        name = f"{stem}.{SOURCE_KINDS[raw.kind].landed_ext}"
        for day in sorted(output.days):
            content = output.days[day]
            files.append(LandedFile(raw.kind, day, name, content, module.serialize(content)))
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
        leaks.extend(scanner.scan(where, landed.content))
    return leaks


def anonymize_firm(
    firm_dir: Path,
    secret: bytes,
    landing: Path,
    min_team_size: int = 3,
    quarantine: Path | None = None,
) -> AnonymizeReport:
    """Anonymize every raw export under ``firm_dir`` into ``landing/<firm_id>/``.

    Raises ``InputError`` when the run cannot start (no firm.json, org map or secret) and
    ``LeakError`` when the output would contain an identity, email, URL, team name or the
    secret; in both cases nothing is written. Unreadable files are skipped and reported, and
    copied with a ``reason.json`` to ``quarantine/<firm_id>/`` when ``quarantine`` is given.
    """
    firm_dir, landing = Path(firm_dir), Path(landing)
    _check_arguments(firm_dir, secret, min_team_size)
    try:
        firm = read_firm_json(firm_dir / "firm.json")
    except InputError as exc:
        if quarantine is not None:  # the run stops: keep the reason beside the firm's profile
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
    )

    seen = TeamAssigner(org_map, secret)  # what all landed files saw, for counts and the scan
    outputs: list[tuple[RawFile, KindOutput]] = []
    shared: dict[str, dict] = defaultdict(dict)  # per kind, across the kind's files
    for raw in raw_files:
        teams = TeamAssigner(org_map, secret)
        ctx = KindContext(secret=secret, teams=teams, shared=shared[raw.kind])
        report.rows_in.setdefault(raw.kind, 0)
        try:
            output = _anonymize_file(raw, ctx)
        except RawFileError as exc:
            report.skipped_files.append(SkippedFile(raw.relative, exc.reason, exc.code))
            continue
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
    files, report.renamed_files = _landed_files(outputs, scanner, secret)
    refuse_leaks(_find_leaks(sensitive, scanner, landed_firm, files))

    firm_landing = landing / firm["firm_id"]
    written, replaced = write_landing(
        firm_landing, files, dump_json(landed_firm), anonymizer_version=tpsp.__version__
    )
    report.landed_files = written
    report.replaced_day_folders = replaced
    if quarantine is not None:
        report.skipped_files = [
            quarantine_raw(Path(quarantine), firm["firm_id"], firm_dir, skipped)
            for skipped in report.skipped_files
        ]
    return report
