"""muted_keyword: a keyword filter matches a whole word of the caption or a hashtag
(``"#cats"`` and ``"cats"`` both match the hashtag); a phrase matches the caption."""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

from graph.feed.filters.base import Filter, flags
from graph.feed.query import FeedQuery
from graph.feed.slate import Slate
from graph.names import normalise_hashtag

_WORD = re.compile(r"[#\w]+")


@lru_cache(maxsize=1024)
def keywords(filters: tuple[str, ...]) -> tuple[frozenset[str], tuple[re.Pattern[str], ...]]:
    """Single words (matched against caption words and hashtags) and phrases."""
    words = {normalise_hashtag(k) for k in filters}
    single = frozenset(word for word in words if " " not in word)
    phrases = tuple(
        re.compile(rf"\b{re.escape(phrase)}\b", re.IGNORECASE) for phrase in sorted(words - single)
    )
    return single, phrases


def mentions(caption: str, hashtags: tuple[str, ...], filters: tuple[str, ...]) -> bool:
    """Whether a video with this caption and these hashtags matches a keyword filter."""
    words, phrases = keywords(filters)
    tokens = {normalise_hashtag(token) for token in _WORD.findall(caption.lower())}
    if words & (tokens | set(hashtags)):
        return True
    return any(phrase.search(caption) for phrase in phrases)


def _keep(query: FeedQuery, slate: Slate) -> NDArray[np.bool_]:
    filters = query.controls.keyword_filters
    if not filters:
        return np.ones(len(slate), dtype=bool)
    catalogue = query.catalogue
    return flags(
        [
            not mentions(catalogue.captions[number], catalogue.tag_names(number), filters)
            for number in slate.numbers.tolist()
        ]
    )


muted_keyword = Filter("muted_keyword", _keep)
