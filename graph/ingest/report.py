"""What an import did: per-file counts and every rejected record with its reason."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Rejection:
    """A record that was not loaded: where it is and why."""

    file: str
    line: int
    reason: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class FileCounts:
    """Outcome counts of one file (or one in-memory kind)."""

    kind: str
    loaded: int = 0
    rejected: int = 0
    already_present: int = 0

    @property
    def total(self) -> int:
        return self.loaded + self.rejected + self.already_present

    def __add__(self, other: FileCounts) -> FileCounts:
        return FileCounts(
            self.kind,
            self.loaded + other.loaded,
            self.rejected + other.rejected,
            self.already_present + other.already_present,
        )


@dataclass
class ImportReport:
    """Counts per file (in load order) and the rejections.

    *loaded*: new records written; *already_present*: records that were in the
    database (or earlier in the same import) and changed nothing; *rejected*:
    records that broke a rule, with the reason in :attr:`rejections`.
    """

    files: dict[str, FileCounts] = field(default_factory=dict)
    rejections: list[Rejection] = field(default_factory=list)

    def counts(self, file: str, kind: str) -> FileCounts:
        """The (mutable) counts of ``file``, created on first use."""
        if file not in self.files:
            self.files[file] = FileCounts(kind)
        return self.files[file]

    def reject(self, file: str, kind: str, line: int, reason: str) -> None:
        self.counts(file, kind).rejected += 1
        self.rejections.append(Rejection(file, line, reason))

    @property
    def loaded(self) -> int:
        return sum(counts.loaded for counts in self.files.values())

    @property
    def rejected(self) -> int:
        return sum(counts.rejected for counts in self.files.values())

    @property
    def already_present(self) -> int:
        return sum(counts.already_present for counts in self.files.values())

    def by_kind(self, kind: str) -> FileCounts:
        """Counts of every file of ``kind`` together (``"interactions"``...)."""
        total = FileCounts(kind)
        for counts in self.files.values():
            if counts.kind == kind:
                total = total + counts
        return total

    def merge(self, other: ImportReport) -> ImportReport:
        """A new report holding both (counts of the same file are added)."""
        merged = ImportReport()
        for report in (self, other):
            for name, counts in report.files.items():
                merged.files[name] = merged.counts(name, counts.kind) + counts
        merged.rejections = [*self.rejections, *other.rejections]
        return merged

    def __add__(self, other: ImportReport) -> ImportReport:
        return self.merge(other)

    @staticmethod
    def combine(reports: Iterable[ImportReport]) -> ImportReport:
        combined = ImportReport()
        for report in reports:
            combined = combined + report
        return combined
