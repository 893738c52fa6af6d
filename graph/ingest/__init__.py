"""Ingestion: load users, creators, videos, follows and interactions into the graph.

The import format and the graph model are specified in docs/model.md. In short: a
folder of optional files ``users``, ``creators``, ``videos``, ``follows`` and
``interactions``, each JSON Lines (``NAME.jsonl``) or CSV with a header
(``NAME.csv``, lists ``|``-separated), loaded in that order. Timestamps are epoch
milliseconds or ISO-8601 with a zone. Records that break a rule (unknown id,
missing field, bad time, absurd watch time, unknown event type) are rejected with
file, line and reason and nothing of them is written; the rest loads.

Interactions are idempotent by ``eventId``: each accepted event leaves an
``Event`` node, and a replayed event changes nothing, counters included (the
check and the write share one transaction, so a retried transaction cannot
double count).

Entry points: :func:`import_dir` (a folder, ``fyp import``), :func:`import_records`
(in-memory records, e.g. the synthetic world or the API publishing a video) and
:func:`record_event` (one live event from the API).
"""

from graph.ingest.imports import import_dir, import_records, record_event
from graph.ingest.report import FileCounts, ImportReport, Rejection

__all__ = [
    "FileCounts",
    "ImportReport",
    "Rejection",
    "import_dir",
    "import_records",
    "record_event",
]
