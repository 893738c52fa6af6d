"""The ``fyp`` command line. Each area registers its commands from its own module."""

from __future__ import annotations

from graph.cli import brands as _brands  # noqa: F401  (registers `fyp creators ...`)
from graph.cli import db as _db  # noqa: F401  (registers `fyp db ...`)
from graph.cli import embed as _embed  # noqa: F401  (registers `fyp embed`)
from graph.cli import evaluate as _evaluate  # noqa: F401  (registers `fyp evaluate`, `fyp train-ranker`)
from graph.cli import feed as _feed  # noqa: F401  (registers `fyp feed`)
from graph.cli import generate as _generate  # noqa: F401  (registers `fyp generate`)
from graph.cli import ingest as _ingest  # noqa: F401  (registers `fyp import`)
from graph.cli import kuairand as _kuairand  # noqa: F401  (registers `fyp import-kuairand`)
from graph.cli import neo4j as _neo4j  # noqa: F401  (registers `fyp neo4j ...`)
from graph.cli import precompute as _precompute  # noqa: F401  (registers `fyp precompute`)
from graph.cli import query as _query  # noqa: F401  (registers `fyp query ...`)
from graph.cli import serve as _serve  # noqa: F401  (registers `fyp serve`)
from graph.cli import tune as _tune  # noqa: F401  (registers `fyp tune`)
from graph.cli.app import app

__all__ = ["app"]
