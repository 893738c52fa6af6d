"""Where records come from: the files of an import folder, or in-memory iterables.

Every record is yielded with its line number (1-based; CSV counts the header as
line 1) so that a rejection can point at it. A line that cannot even be parsed
is yielded with the reason instead of a record.
"""

from __future__ import annotations

import csv
import json
import logging
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph.errors import ClientError
from graph.ingest.validate import KINDS, Kind

log = logging.getLogger(__name__)

SUFFIXES = (".jsonl", ".csv")


@dataclass(frozen=True, slots=True)
class SourceRecord:
    """One record, or the reason its line could not be read."""

    line: int
    data: Mapping[str, Any] | None
    problem: str | None = None


@dataclass(frozen=True)
class SourceFile:
    kind: Kind
    path: Path

    @property
    def name(self) -> str:
        return self.path.name


def find_files(folder: Path) -> list[SourceFile]:
    """The import files of ``folder``, in load order; :class:`ClientError` if none."""
    if not folder.is_dir():
        raise ClientError(f"{folder} is not a folder: give the folder that holds the import files")
    found: list[SourceFile] = []
    for kind in KINDS:
        candidates = [folder / f"{kind}{suffix}" for suffix in SUFFIXES]
        present = [path for path in candidates if path.is_file()]
        if len(present) > 1:
            raise ClientError(
                f"{folder} holds both {present[0].name} and {present[1].name}: keep one of them"
            )
        found.extend(SourceFile(kind, path) for path in present)
    if not found:
        expected = ", ".join(f"{kind}.jsonl" for kind in KINDS)
        raise ClientError(f"{folder} holds no import files (expected some of {expected}, or .csv)")
    ignored = sorted(
        entry.name for entry in folder.iterdir() if entry not in {f.path for f in found}
    )
    if ignored:
        log.debug("ignoring files that are not part of the import format: %s", ", ".join(ignored))
    return found


def read_file(source: SourceFile) -> Iterator[SourceRecord]:
    if source.path.suffix == ".csv":
        return read_csv(source.path)
    return read_jsonl(source.path)


def read_jsonl(path: Path) -> Iterator[SourceRecord]:
    with path.open(encoding="utf-8") as handle:
        for line_no, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError as error:
                yield SourceRecord(line_no, None, f"not valid JSON: {error.msg}")
                continue
            if not isinstance(data, dict):
                yield SourceRecord(line_no, None, "a line must hold one JSON object")
                continue
            yield SourceRecord(line_no, data)


def read_csv(path: Path) -> Iterator[SourceRecord]:
    """CSV with a header row; empty cells are missing fields (lists stay '|' text)."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        try:
            header = [name.strip() for name in next(reader)]
        except StopIteration:
            return
        line_no = reader.line_num
        for cells in reader:
            start, line_no = line_no + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(header):
                yield SourceRecord(
                    start, None, f"has {len(cells)} cells but the header names {len(header)}"
                )
                continue
            yield SourceRecord(
                start, {name: cell for name, cell in zip(header, cells, strict=True) if cell != ""}
            )


def from_iterable(records: Iterable[Mapping[str, Any]]) -> Iterator[SourceRecord]:
    """In-memory records; the "line" is the 1-based position."""
    for position, data in enumerate(records, start=1):
        yield SourceRecord(position, data)


def count_lines(path: Path) -> int:
    """Records in a file, roughly (for progress bars): lines, less a CSV header."""
    lines = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            lines += chunk.count(b"\n")
    return max(0, lines - 1) if path.suffix == ".csv" else lines
