"""Influencer discovery: creators in a niche, filtered and ranked, one page at a time."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from typing import Any

from graph.brands.authenticity import creator_authenticity
from graph.brands.cursor import Cursor
from graph.brands.models import (
    Authenticity,
    CreatorCard,
    CreatorFilter,
    CreatorPage,
    CreatorSort,
    HashtagCount,
)
from graph.brands.window import DAY_MS, resolve_as_of
from graph.db import Graph
from graph.errors import ClientError, NotFoundError
from graph.names import normalise_hashtag

log = logging.getLogger(__name__)

MAX_PAGE = 100
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# Characters with a meaning in Lucene query syntax (the fulltext index's language).
_LUCENE_SPECIAL = re.compile(r'([+\-&|!(){}\[\]^"~*?:\\/])')


def discover_creators(
    graph: Graph,
    where: CreatorFilter | None = None,
    sort: CreatorSort = CreatorSort.ENGAGEMENT,
    *,
    first: int = 20,
    after: str | None = None,
    as_of: int | None = None,
) -> CreatorPage:
    """A page of creators matching ``where``, best first by ``sort``.

    ``after`` is a cursor of the previous page (its ``next_after`` to go on after it).
    Each creator comes with its metrics and an authenticity score with reasons.
    """
    where = where or CreatorFilter()
    _check(graph, where, sort, first)
    end = resolve_as_of(graph, as_of)
    cursor = Cursor.decode(after, sort.value) if after else None
    rows = graph.read("brands/discover", **_params(where, sort, first, cursor, end))
    page, has_next = rows[:first], len(rows) > first
    authenticity = creator_authenticity(graph, [row["creatorId"] for row in page], as_of=end)
    creators = [card(row, authenticity[row["creatorId"]]) for row in page]
    cursors = [
        Cursor(sort.value, float(row["sortValue"]), row["creatorId"]).encode() for row in page
    ]
    total = int(rows[0]["totalCount"]) if rows else 0
    log.debug("discover: %d of %d creators (sort %s)", len(creators), total, sort.value)
    return CreatorPage(
        creators=creators, cursors=cursors, has_more=has_next, total_count=total, as_of=end
    )


def _check(graph: Graph, where: CreatorFilter, sort: CreatorSort, first: int) -> None:
    if not 1 <= first <= MAX_PAGE:
        raise ClientError(f"`first` must be between 1 and {MAX_PAGE}; got {first}")
    if where.max_followers is not None and where.max_followers < where.min_followers:
        raise ClientError("the follower range is empty: max_followers < min_followers")
    if where.growth_days < 1:
        raise ClientError(f"growth_days must be at least 1; got {where.growth_days}")
    reference = where.reference_creator_id
    if sort in (CreatorSort.OVERLAP, CreatorSort.SIMILARITY) and reference is None:
        raise ClientError(f"sorting by {sort.value} needs a reference creator to compare with")
    if reference is not None:
        require_creators(graph, [reference])


def require_creators(graph: Graph, creator_ids: Iterable[str]) -> None:
    """:class:`NotFoundError` naming every id that is not a creator."""
    ids = list(dict.fromkeys(creator_ids))
    found = {row["creatorId"] for row in graph.read("brands/existing_creators", creatorIds=ids)}
    missing = [cid for cid in ids if cid not in found]
    if missing:
        raise NotFoundError(f"no creator with id {', '.join(map(repr, missing))}")


def _params(
    where: CreatorFilter, sort: CreatorSort, first: int, cursor: Cursor | None, as_of: int
) -> dict[str, Any]:
    words = topic_words(where.topic)
    return {
        "hashtags": sorted({normalise_hashtag(tag) for tag in where.hashtags if tag}),
        "topicWords": words,
        "topicQuery": " OR ".join(_LUCENE_SPECIAL.sub(r"\\\1", w) for w in words) or None,
        "minFollowers": where.min_followers,
        "maxFollowers": where.max_followers,
        "minViews": where.min_views,
        "minEngagementRate": where.min_engagement_rate,
        "minCompletionRate": where.min_completion_rate,
        "minGrowth": where.min_growth,
        "growthSince": as_of - where.growth_days * DAY_MS,
        "asOf": as_of,
        "referenceId": where.reference_creator_id,
        "sort": sort.value,
        "afterValue": cursor.value if cursor else None,
        "afterId": cursor.creator_id if cursor else None,
        "first": first,
    }


def topic_words(topic: str | None) -> list[str]:
    """Lower-case words of a free-text topic (``"Street-Dance!"`` -> street, dance)."""
    if not topic:
        return []
    return list(dict.fromkeys(word.lower() for word in _WORD.findall(topic)))


def card(row: Mapping[str, Any], authenticity: Authenticity) -> CreatorCard:
    return CreatorCard(
        creator_id=row["creatorId"],
        name=row["name"],
        followers=int(row["followers"]),
        videos=int(row["videos"]),
        views=int(row["views"]),
        engagement_rate=float(row["engagementRate"]),
        completion_rate=float(row["completionRate"]),
        avg_completion=float(row["avgCompletion"]),
        new_followers=int(row["newFollowers"]),
        growth_rate=float(row["growthRate"]),
        engaged_audience=int(row["engagedAudience"]),
        top_hashtags=tuple(HashtagCount(h["name"], int(h["videos"])) for h in row["topHashtags"]),
        authenticity=authenticity,
        shared_audience=int(row["sharedAudience"]),
        overlap=float(row["overlap"]),
        similarity=None if row["similarity"] is None else float(row["similarity"]),
    )
