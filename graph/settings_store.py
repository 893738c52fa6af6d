"""A person's feed settings, stored on their ``User`` node.

``personalized`` (false: the feed not based on profiling), ``keywordFilters``
(never show these words or hashtags) and ``interests`` (hashtags that seed the feed
before there is any history). The API turns them into feed ``Controls``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from graph.db import AsyncGraph, Record
from graph.errors import ClientError, NotFoundError
from graph.names import normalise_hashtag

log = logging.getLogger(__name__)

MAX_KEYWORDS = 200
MAX_INTERESTS = 50
MAX_WORD_LENGTH = 60


@dataclass(frozen=True)
class UserSettings:
    personalized: bool = True
    keyword_filters: tuple[str, ...] = ()
    interests: tuple[str, ...] = ()


def _settings(row: Record) -> UserSettings:
    personalized = row.get("personalized")
    return UserSettings(
        personalized=True if personalized is None else bool(personalized),
        keyword_filters=tuple(row.get("keywordFilters") or ()),
        interests=tuple(row.get("interests") or ()),
    )


def _unknown_user(user_id: str) -> NotFoundError:
    return NotFoundError(f"No user with id {user_id!r}.")


async def load_settings(graph: AsyncGraph, user_id: str) -> UserSettings:
    rows = await graph.read("api/settings_get", userId=user_id)
    if not rows:
        raise _unknown_user(user_id)
    return _settings(rows[0])


def clean_keywords(words: Sequence[str]) -> list[str]:
    """Lower case, trimmed, deduplicated; ``#cats`` stays a hashtag filter."""
    cleaned = list(dict.fromkeys(word.strip().lower() for word in words if word.strip()))
    if len(cleaned) > MAX_KEYWORDS:
        raise ClientError(f"At most {MAX_KEYWORDS} keyword filters (got {len(cleaned)}).")
    for word in cleaned:
        if len(word) > MAX_WORD_LENGTH or not normalise_hashtag(word):
            raise ClientError(f"Keyword filter {word!r} must be 1 to {MAX_WORD_LENGTH} characters.")
    return cleaned


def clean_interests(hashtags: Sequence[str]) -> list[str]:
    """Hashtag names as the graph keeps them: lower case, no ``#``."""
    cleaned = list(dict.fromkeys(normalise_hashtag(tag) for tag in hashtags))
    if any(not tag or len(tag) > MAX_WORD_LENGTH or " " in tag for tag in cleaned):
        raise ClientError(f"Interests are hashtags: one word of 1 to {MAX_WORD_LENGTH} characters.")
    if len(cleaned) > MAX_INTERESTS:
        raise ClientError(f"At most {MAX_INTERESTS} interests (got {len(cleaned)}).")
    return cleaned


async def save_settings(
    graph: AsyncGraph,
    user_id: str,
    personalized: bool | None = None,
    keyword_filters: Sequence[str] | None = None,
    interests: Sequence[str] | None = None,
) -> UserSettings:
    """Change the settings given (None keeps one as it is); returns them all."""
    result = await graph.write(
        "api/settings_update",
        userId=user_id,
        personalized=personalized,
        keywordFilters=None if keyword_filters is None else clean_keywords(keyword_filters),
        interests=None if interests is None else clean_interests(interests),
    )
    if not result.records:
        raise _unknown_user(user_id)
    return _settings(result.records[0])
