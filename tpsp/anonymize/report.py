"""What one anonymizer run did, for the firm's own console."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path


@dataclass(frozen=True)
class SkippedFile:
    """A raw file or folder that was not landed."""

    path: Path  # relative to the firm folder
    reason: str  # one line for a person
    code: str  # for machines: malformed_json, unknown_source_kind, unsupported_extension, ...
    quarantine_path: Path | None = None  # the copy kept with its reason.json, when kept

    def message(self) -> str:
        return f"{self.path.as_posix()}: {self.reason} [{self.code}]"


@dataclass(frozen=True)
class RawWarning:
    """Something a landed raw file holds that the run left behind, worth a look."""

    path: Path  # relative to the firm folder
    message: str  # one line
    code: str  # unknown_fields


@dataclass(frozen=True)
class ExportedFile:
    """A file the run landed, or would land on a dry run."""

    path: Path  # relative to landing/<firm_id>: <source_kind>/<YYYY-MM-DD>/<file>
    kind: str
    day: date
    rows: int  # records at the kind's natural-key grain, as the manifest lists them
    sha256: str


@dataclass
class AnonymizeReport:
    firm_id: str
    landed_files: list[Path] = field(default_factory=list)
    skipped_files: list[SkippedFile] = field(default_factory=list)
    warnings: list[RawWarning] = field(default_factory=list)
    rows_in: dict[str, int] = field(default_factory=dict)
    rows_out: dict[str, int] = field(default_factory=dict)
    # records dropped per kind because another record had the same natural key
    duplicates: dict[str, int] = field(default_factory=dict)
    unassigned_identities: int = 0  # distinct identities in the exports missing from the org map
    unmapped_teams: int = 0  # distinct team names in daily_totals missing from the org map
    # Raw team names merged into small_teams: for the firm's console only, never landed.
    merged_small_teams: list[str] = field(default_factory=list)
    replaced_day_folders: list[Path] = field(default_factory=list)
    # Raw files (relative to the firm folder) whose name would have revealed an identity, a
    # team or an email: they land under the pseudonym of their stem instead.
    renamed_files: list[Path] = field(default_factory=list)
    exported: list[ExportedFile] = field(default_factory=list)
    # A dry run writes nothing; it says what a real run would land and what it leaves behind.
    dry_run: bool = False
    fields_kept: dict[str, list[str]] = field(default_factory=dict)  # per kind, dry runs only
    fields_dropped: dict[str, list[str]] = field(default_factory=dict)  # per kind, dry runs
    manifest: Path | None = None

    def rows_by_kind_and_day(self) -> dict[tuple[str, date], int]:
        rows: dict[tuple[str, date], int] = defaultdict(int)
        for exported in self.exported:
            rows[(exported.kind, exported.day)] += exported.rows
        return dict(sorted(rows.items()))

    def summary(self) -> list[str]:
        """Printable lines; they stay on the firm's machine (they name small teams)."""
        landed, replaced = "landed", "replaced"
        if self.dry_run:
            landed, replaced = "dry run, nothing written: would land", "would replace"
        lines = [
            f"firm {self.firm_id}: {landed} {len(self.exported)} file(s), "
            f"skipped {len(self.skipped_files)}, "
            f"{replaced} {len(self.replaced_day_folders)} day folder(s)"
        ]
        for kind in sorted(set(self.rows_in) | set(self.rows_out)):
            dropped = self.duplicates.get(kind, 0)
            duplicates = f", {dropped} duplicate(s) dropped" if dropped else ""
            lines.append(
                f"  {kind}: {self.rows_in.get(kind, 0)} rows in, "
                f"{self.rows_out.get(kind, 0)} out{duplicates}"
            )
        for skipped in self.skipped_files:
            lines.append(f"  skipped {skipped.path.as_posix()} [{skipped.code}]: {skipped.reason}")
        for warning in self.warnings:
            lines.append(f"  warning {warning.path.as_posix()} [{warning.code}]: {warning.message}")
        lines.append(
            f"  identities missing from the org map (team unassigned): {self.unassigned_identities}"
        )
        if self.unmapped_teams:
            lines.append(
                f"  team names missing from the org map (unassigned): {self.unmapped_teams}"
            )
        if self.renamed_files:
            lines.append(
                f"  landed under a pseudonym, as their names would reveal a person, team or "
                f"email: {len(self.renamed_files)} file(s)"
            )
        if self.merged_small_teams:
            lines.append("  merged into small_teams: " + ", ".join(self.merged_small_teams))
        return lines
