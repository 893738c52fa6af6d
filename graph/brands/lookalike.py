"""Lookalike creators: near in the embedding space, and sharing an engaged audience.

The two kinds of evidence are blended on a common scale: each is divided by the best
value among the candidates, then averaged with ``EMBEDDING_WEIGHT``. Without
embeddings (``fyp embed`` not run yet, or a creator too new to have one) the
shared audience alone ranks the lookalikes.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import neo4j.exceptions

from graph.brands.discover import require_creators
from graph.brands.models import Lookalike
from graph.db import Graph, Record
from graph.errors import ClientError

log = logging.getLogger(__name__)

EMBEDDING_WEIGHT = 0.5
#: Candidates asked of each source before blending.
POOL = 50


@dataclass
class _Evidence:
    name: str | None
    similarity: float | None = None
    jaccard: float = 0.0
    shared: int = 0


def lookalike_creators(graph: Graph, creator_id: str, *, limit: int = 10) -> list[Lookalike]:
    """Creators most like ``creator_id``, best first, each with its reasons."""
    if not 1 <= limit <= 100:
        raise ClientError(f"limit must be between 1 and 100; got {limit}")
    require_creators(graph, [creator_id])
    pool = max(POOL, limit)
    evidence: dict[str, _Evidence] = {}
    for row in _embedding_neighbours(graph, creator_id, pool):
        evidence[row["creatorId"]] = _Evidence(row["name"], similarity=float(row["similarity"]))
    for row in graph.read("brands/lookalike_audience", creatorId=creator_id, limit=pool):
        found = evidence.setdefault(row["creatorId"], _Evidence(row["name"]))
        found.jaccard, found.shared = float(row["jaccard"]), int(row["sharedAudience"])
    return sorted(_blend(evidence), key=lambda x: (-x.score, x.creator_id))[:limit]


def _embedding_neighbours(graph: Graph, creator_id: str, pool: int) -> list[Record]:
    """Nearest creators in the vector index; none before the first ``fyp embed``."""
    try:
        return graph.read(
            "brands/lookalike_embedding", creatorId=creator_id, candidates=4 * pool, limit=pool
        )
    except neo4j.exceptions.ClientError as error:
        if "no such vector schema index" not in str(error.message).lower():
            raise
        log.info("no creator_embedding index yet: lookalikes from shared audiences only")
        return []


def _blend(evidence: dict[str, _Evidence]) -> list[Lookalike]:
    best_similarity = max((e.similarity or 0.0 for e in evidence.values()), default=0.0)
    best_jaccard = max((e.jaccard for e in evidence.values()), default=0.0)
    weight = EMBEDDING_WEIGHT if best_similarity > 0 else 0.0
    if best_jaccard == 0:
        weight = 1.0 if best_similarity > 0 else 0.0
    found = []
    for cid, e in evidence.items():
        similarity = (e.similarity or 0.0) / best_similarity if best_similarity else 0.0
        audience = e.jaccard / best_jaccard if best_jaccard else 0.0
        reasons = []
        if e.similarity is not None:
            reasons.append(f"embedding similarity {e.similarity:.2f}")
        if e.shared:
            reasons.append(f"shares {e.shared} engaged viewers (Jaccard {e.jaccard:.2f})")
        found.append(
            Lookalike(
                creator_id=cid,
                name=e.name,
                score=round(weight * similarity + (1 - weight) * audience, 4),
                similarity=e.similarity,
                audience_overlap=e.jaccard,
                shared_audience=e.shared,
                reasons=tuple(reasons),
            )
        )
    return found
