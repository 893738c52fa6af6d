"""Audience overlap of a set of creators, and the creator that would widen it most."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from graph.brands.discover import require_creators
from graph.brands.models import AudienceOverlap, PairOverlap, ReachSuggestion
from graph.db import Graph
from graph.errors import ClientError

MAX_CREATORS = 20


def audience_overlap(
    graph: Graph,
    creator_ids: Sequence[str],
    *,
    suggestions: int = 5,
    candidate_ids: Iterable[str] | None = None,
) -> AudienceOverlap:
    """Engaged audiences (viewers who completed or liked) of ``creator_ids``: each one,
    every pair (shared viewers, Jaccard), the union, and the best creators to add
    (``candidate_ids``, or every other creator) by new engaged viewers they bring."""
    ids = tuple(dict.fromkeys(creator_ids))
    if not 1 <= len(ids) <= MAX_CREATORS:
        raise ClientError(f"give between 1 and {MAX_CREATORS} creator ids; got {len(ids)}")
    if not 0 <= suggestions <= 100:
        raise ClientError(f"suggestions must be between 0 and 100; got {suggestions}")
    require_creators(graph, ids)
    signatures = graph.read("brands/audience_signatures", creatorIds=list(ids))
    audiences, pairs, union = combine(ids, signatures)
    found = []
    if suggestions:
        rows = graph.read(
            "brands/reach_suggestions",
            creatorIds=list(ids),
            candidateIds=None if candidate_ids is None else list(candidate_ids),
            limit=suggestions,
        )
        found = [
            ReachSuggestion(
                row["creatorId"], row["name"], int(row["engagedAudience"]), int(row["addedReach"])
            )
            for row in rows
        ]
    return AudienceOverlap(ids, audiences, pairs, union, found)


def combine(
    ids: Sequence[str], signatures: Iterable[Mapping[str, Any]]
) -> tuple[dict[str, int], list[PairOverlap], int]:
    """Audience sizes, pairwise overlaps and the union from the audience signatures:
    rows of (the creators a group of users engaged with, how many users)."""
    groups = [(frozenset(row["creators"]), int(row["users"])) for row in signatures]
    audiences = {cid: sum(n for group, n in groups if cid in group) for cid in ids}
    pairs = []
    for a, b in itertools.combinations(ids, 2):
        shared = sum(n for group, n in groups if a in group and b in group)
        union = audiences[a] + audiences[b] - shared
        pairs.append(
            PairOverlap(a, b, audiences[a], audiences[b], shared, shared / union if union else 0.0)
        )
    return audiences, pairs, sum(n for _, n in groups)
