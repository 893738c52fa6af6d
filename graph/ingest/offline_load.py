"""An offline import, end to end: validate, write importer files, run neo4j-admin, serve.

The local server is stopped while ``neo4j-admin database import full`` writes the store
files, then started again and given the schema (``fyp db init``). A database that holds
anything is refused unless the caller says to replace it. Validation runs before the
server is touched: an import that fails there changes nothing.
"""

from __future__ import annotations

import gc
import logging
import shlex
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from graph.db import Connection, Graph
from graph.errors import ClientError
from graph.ingest.offline import ImporterFiles, OfflineGraph
from graph.ingest.report import ImportReport
from graph.local_neo4j import LocalNeo4j
from graph.schema import counts, init_schema

log = logging.getLogger(__name__)

#: Loads the records of an import into the target it is given (``import_dir``,
#: ``import_records``, ``load_conversion`` with their arguments bound).
Load = Callable[[OfflineGraph], ImportReport]
#: Told the name of each phase as it begins (for a spinner).
Phases = Callable[[str], None]


@dataclass
class OfflineOutcome:
    report: ImportReport
    #: Event nodes written (accepted interactions).
    events: int
    #: Seconds per phase: build (validation and files), importer, start, schema.
    seconds: dict[str, float] = field(default_factory=dict)


def admin_command(files: ImporterFiles, database: str = "neo4j") -> str:
    """The command to run on a database host (with the files copied there)."""
    return shlex.join(
        ["neo4j-admin", "database", "import", "full", database, "--overwrite-destination=true",
         "--bad-tolerance=0", *files.arguments()]
    )  # fmt: skip


def build_files(load: Load, folder: Path) -> tuple[ImportReport, OfflineGraph, ImporterFiles]:
    """Validate and write the importer files into ``folder`` (no database involved)."""
    target = OfflineGraph(folder)
    # The build keeps millions of small objects (ids seen, pairs, counters) and makes no
    # reference cycles: the cyclic collector would walk them all again and again, for
    # nothing (two fifths of the build's time on KuaiRand). Reference counting still
    # frees what is dropped.
    collecting = gc.isenabled()
    gc.disable()
    try:
        report = load(target)
        return report, target, target.finish()
    finally:
        if collecting:
            gc.enable()


def local_connection(server: LocalNeo4j, database: str, timeout_s: float) -> Connection:
    """How to reach ``database`` on a server this process started (its own password)."""
    return Connection(server.uri, "neo4j", server.password(), database, timeout_s)


def load_offline(
    server: LocalNeo4j,
    load: Load,
    *,
    replace: bool = False,
    database: str = "neo4j",
    timeout_s: float = 120.0,
    phases: Phases | None = None,
) -> OfflineOutcome:
    """Load ``server``'s database offline with what ``load`` reads; returns its outcome.

    Refuses (:class:`ClientError`, nothing changed) a database that holds nodes unless
    ``replace``. The server is running afterwards, schema in place. ``timeout_s`` is
    the query timeout of the connections opened here.
    """
    tell = phases or (lambda _phase: None)
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    _refuse_unless_empty(server, database, timeout_s, replace)
    with tempfile.TemporaryDirectory(prefix="fyp-offline-") as folder:
        tell("validating and writing the importer files")
        report, target, files = build_files(load, Path(folder))
        seconds["build"] = time.perf_counter() - started
        tell("neo4j-admin database import")
        mark = time.perf_counter()
        server.stop()
        server.import_database(files.arguments(), database=database)
        seconds["importer"] = time.perf_counter() - mark
    tell("starting Neo4j")
    mark = time.perf_counter()
    server.start()
    seconds["start"] = time.perf_counter() - mark
    tell("creating the schema")
    mark = time.perf_counter()
    with Graph(local_connection(server, database, timeout_s)) as graph:
        init_schema(graph)
    seconds["schema"] = time.perf_counter() - mark
    log.info("offline import: %d events, %s", target.events, seconds)
    return OfflineOutcome(report, target.events, seconds)


def _refuse_unless_empty(
    server: LocalNeo4j, database: str, timeout_s: float, replace: bool
) -> None:
    """A database with nodes is replaced only when asked; a never-started one is empty."""
    if replace or not (server.home / "data" / "databases" / database).exists():
        return
    server.start()
    connection = local_connection(server, database, timeout_s)
    with Graph(connection) as graph:
        held = {name: n for name, n in counts(graph).items() if name.startswith("node:") and n}
    if held:
        summary = ", ".join(f"{n:,} {name.removeprefix('node:')}" for name, n in held.items())
        raise ClientError(
            f"the database at {connection.uri} is not empty ({summary}); an offline import "
            "replaces everything in it: pass --replace to do that, or import online "
            "(without --offline) to add to it."
        )
