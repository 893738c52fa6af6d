"""The public entry points: a folder, in-memory records, or one live event."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Literal

from graph.db import Graph
from graph.errors import ClientError
from graph.ingest.pipeline import DEFAULT_BATCH_SIZE, Importer, Progress
from graph.ingest.report import ImportReport
from graph.ingest.sources import find_files, from_iterable, read_file
from graph.ingest.target import ImportTarget, Neo4jTarget
from graph.ingest.validate import KINDS

MEMORY = "<memory>"

#: Where an import loads: a database (the online path), or another target such as
#: graph.ingest.offline.OfflineGraph (store files for neo4j-admin).
Destination = Graph | ImportTarget


def _target(destination: Destination) -> ImportTarget:
    return Neo4jTarget(destination) if isinstance(destination, Graph) else destination


def import_dir(
    graph: Destination,
    path: Path,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Progress | None = None,
) -> ImportReport:
    """Load the import files of folder ``path`` (docs/model.md), in load order.

    Raises :class:`ClientError` when ``path`` is not a folder of import files;
    bad records do not raise, they are in the report's rejections.
    """
    importer = Importer(_target(graph), batch_size=batch_size, progress=progress)
    for source in find_files(path):
        importer.load(source.kind, source.name, read_file(source))
    return importer.report


def import_records(
    graph: Destination,
    records: Mapping[str, Iterable[Mapping[str, Any]]],
    *,
    source: str = MEMORY,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Progress | None = None,
) -> ImportReport:
    """Load in-memory records: ``{"users": [...], "videos": [...], ...}``.

    Values are dicts exactly like the JSONL lines of the import format. Kinds load
    in the import order whatever the mapping's order. A rejection's file is the
    kind (prefixed with ``source`` when one is given) and its line the 1-based
    position in that kind's iterable.
    """
    unknown = sorted(set(records) - set(KINDS))
    if unknown:
        raise ClientError(f"unknown record kinds {unknown} (expected some of {list(KINDS)})")
    importer = Importer(_target(graph), batch_size=batch_size, progress=progress)
    for kind in KINDS:
        if kind in records:
            file = kind if source == MEMORY else f"{source}:{kind}"
            importer.load(kind, file, from_iterable(records[kind]))
    return importer.report


def record_event(graph: Graph, event: Mapping[str, Any]) -> Literal["loaded", "already_present"]:
    """Record one live interaction (the API's path); :class:`ClientError` if invalid."""
    report = import_records(graph, {"interactions": [event]}, batch_size=1)
    if report.rejections:
        raise ClientError(f"event rejected: {report.rejections[0].reason}")
    return "loaded" if report.loaded else "already_present"
