"""The bulk path: read, validate, resolve ids, write in UNWIND batches.

Per batch: validate every record (pure), look up the ids it points to with one
read per kind of id, check them, drop records already seen in this import, then
write the batch in one managed transaction. Interactions are written by
graph.ingest.events: a handful of UNWIND statements per batch.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from itertools import chain, islice
from typing import Any

from neo4j.exceptions import DatabaseUnavailable, ServiceUnavailable, SessionExpired

from graph.errors import DependencyError
from graph.ingest.known import KnownIds
from graph.ingest.report import ImportReport, Rejection
from graph.ingest.sources import SourceRecord
from graph.ingest.target import ImportTarget
from graph.ingest.validate import (
    Invalid,
    Kind,
    Row,
    VideoRow,
    check_refs,
    dedupe_key,
    refs_of,
    validate,
)

log = logging.getLogger(__name__)

Progress = Callable[[str, int], None]

#: What the driver raises once its retries are spent on a server that went away (killed,
#: restarting, unreachable); ``IncompleteCommit`` is a ``ServiceUnavailable``.
OUTAGES = (ServiceUnavailable, SessionExpired, DatabaseUnavailable)

# Records per write transaction. Larger batches aggregate more events per (user, video)
# and per video, and pay fewer round trips: 20,000 cut bench/ingest.py's wall time by
# a quarter against 5,000 (README, Benchmarks); a batch's transaction state stays in
# the tens of MB.
DEFAULT_BATCH_SIZE = 20_000


def batched(records: Iterable[SourceRecord], size: int) -> Iterator[list[SourceRecord]]:
    iterator = iter(records)
    while batch := list(islice(iterator, size)):
        yield batch


@dataclass
class _Prepared:
    """A validated batch: rows to write, and what was decided without the database."""

    kind: Kind
    file: str
    rows: list[Row]
    rejections: list[Rejection]
    duplicates: int


class Importer:
    """One import: remembers the ids it has seen and written across files.

    Writing a batch and preparing the next overlap: Neo4j works on batch *n* in a
    writer thread while this thread reads and validates batch *n + 1*. At most one
    write is in flight, so batches commit in file order. A file of one batch (every
    live event of the API) is written in the calling thread: no thread to start.
    """

    def __init__(
        self,
        target: ImportTarget,
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
        progress: Progress | None = None,
    ) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.target = target
        self.batch_size = batch_size
        self.progress = progress
        self.known = KnownIds()
        self.report = ImportReport()
        self._seen: dict[Kind, set[Any]] = {}
        self._in_flight: tuple[_Prepared, Future[int]] | None = None

    def load(self, kind: Kind, file: str, records: Iterable[SourceRecord]) -> None:
        """Load every record of one file (or in-memory kind) into the graph."""
        started = time.perf_counter()
        counts = self.report.counts(file, kind)
        batches = batched(records, self.batch_size)
        head = list(islice(batches, 2))
        try:
            if len(head) < 2 or not self.target.overlap_writes:
                # One batch at most (a live event from the API, a short file): there is
                # nothing to overlap with, so no writer thread either; nor when writing
                # is Python work too (the offline path).
                for batch in chain(head, batches):
                    prepared = self._prepare(kind, file, batch)
                    self._count(prepared, self._write(kind, prepared.rows))
            else:
                self._load_overlapped(kind, file, chain(head, batches))
        except OUTAGES as error:
            # One clear line for the CLI (and UNAVAILABLE for the API), not a driver
            # stack trace; and what to do, which is safe because imports are idempotent.
            raise DependencyError(
                f"{self.target.where} became unavailable while loading "
                f"{file} ({type(error).__name__}). Everything written before is stored: "
                "once Neo4j is back, run the same import again; records already stored "
                "are skipped and nothing is counted twice."
            ) from error
        log.info(
            "%s: %d loaded, %d already present, %d rejected in %.1fs",
            file, counts.loaded, counts.already_present, counts.rejected,
            time.perf_counter() - started,
        )  # fmt: skip

    def _load_overlapped(
        self, kind: Kind, file: str, batches: Iterable[list[SourceRecord]]
    ) -> None:
        """Write batch *n* in a writer thread while this thread prepares batch *n + 1*."""
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="ingest-writer") as writer:
            try:
                for batch in batches:
                    prepared = self._prepare(kind, file, batch)
                    self._finish_in_flight()
                    future = writer.submit(self._write, kind, prepared.rows)
                    self._in_flight = (prepared, future)
                self._finish_in_flight()
            finally:
                self._in_flight = None

    def _prepare(self, kind: Kind, file: str, batch: list[SourceRecord]) -> _Prepared:
        """Validate, resolve ids (one read per kind of id), drop repeats: no writes."""
        rejections: list[Rejection] = []
        valid: list[tuple[int, Row]] = []
        for record in batch:
            try:
                if record.data is None:
                    raise Invalid(record.problem or "unreadable record")
                valid.append((record.line, validate(kind, record.data)))
            except Invalid as error:
                rejections.append(Rejection(file, record.line, str(error)))

        if not self.target.empty:  # in an empty target, only what this import wrote exists
            self.known.resolve(
                self.target.lookup, (ref for _, row in valid for ref in refs_of(kind, row))
            )
        seen = self._seen.setdefault(kind, set())
        fresh: list[Row] = []
        duplicates = 0
        for line, row in valid:
            try:
                check_refs(kind, row, self.known)
            except Invalid as error:
                rejections.append(Rejection(file, line, str(error)))
                continue
            key = dedupe_key(kind, row)
            if key in seen:  # the first record with this id wins
                duplicates += 1
                continue
            seen.add(key)
            fresh.append(row)
        # Safe before the write lands: later batches of this kind never point at
        # these ids, and the next kind starts only after the last write finished.
        self._remember(kind, fresh)
        rejections.sort(key=lambda rejection: rejection.line)
        return _Prepared(kind, file, fresh, rejections, duplicates)

    def _finish_in_flight(self) -> None:
        """Wait for the write in flight (re-raising its error) and count its outcome."""
        if self._in_flight is None:
            return
        prepared, future = self._in_flight
        self._in_flight = None
        self._count(prepared, future.result())

    def _count(self, prepared: _Prepared, loaded: int) -> None:
        """Count a written batch's outcome (and report its progress)."""
        counts = self.report.counts(prepared.file, prepared.kind)
        counts.loaded += loaded
        counts.already_present += prepared.duplicates + len(prepared.rows) - loaded
        counts.rejected += len(prepared.rejections)
        self.report.rejections.extend(prepared.rejections)
        if self.progress is not None:
            self.progress(
                prepared.kind,
                len(prepared.rows) + prepared.duplicates + len(prepared.rejections),
            )

    def _write(self, kind: Kind, rows: list[Row]) -> int:
        """Write one batch in one transaction; returns how many rows were new."""
        if not rows:
            return 0
        if kind != "interactions":
            return self.target.write_rows(kind, rows)
        return self.target.write_events(rows)  # type: ignore[arg-type]

    def _remember(self, kind: Kind, rows: list[Row]) -> None:
        """Ids written by this import count as known for the files that follow."""
        if kind in ("users", "creators"):
            for row in rows:
                self.known.add("user", row["id"])  # type: ignore[typeddict-item]
        elif kind == "videos":
            for row in rows:
                video: VideoRow = row  # type: ignore[assignment]
                self.known.add("video", video["id"], video["durationMs"])
                for tag in video["hashtags"]:
                    self.known.add("hashtag", tag)
                if video["soundId"] is not None:
                    self.known.add("sound", video["soundId"])
