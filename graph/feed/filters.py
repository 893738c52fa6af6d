"""Filters: each a named predicate that keeps or removes a candidate (pure).

Cheap first: the cursor check needs nothing from the database and runs before the
batched hydration query; the rest read the facts that one query fetched for all
candidates. Each reports how many it kept and removed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from graph.feed.candidate import Candidate, VideoFacts
from graph.feed.model import Controls
from graph.feed.profile import normalise_hashtag

_WORD = re.compile(r"[#\w]+")


@dataclass(frozen=True)
class FilterContext:
    user_id: str
    controls: Controls
    #: Ids already served earlier in this feed session (from the cursor).
    session_served: frozenset[str]

    @cached_property
    def keywords(self) -> tuple[frozenset[str], tuple[re.Pattern[str], ...]]:
        """Single words (matched against caption words and hashtags) and phrases."""
        words = {normalise_hashtag(k) for k in self.controls.keyword_filters}
        single = frozenset(word for word in words if " " not in word)
        phrases = tuple(
            re.compile(rf"\b{re.escape(phrase)}\b", re.IGNORECASE)
            for phrase in sorted(words - single)
        )
        return single, phrases

    @cached_property
    def blocked(self) -> frozenset[str]:
        return frozenset(self.controls.blocked_creators)


@dataclass(frozen=True)
class Filter:
    name: str
    keep: Callable[[Candidate, FilterContext], bool]
    #: Runs before hydration (needs no facts from the database).
    before_hydration: bool = False


def _facts(candidate: Candidate) -> VideoFacts:
    if candidate.facts is None:
        raise ValueError(f"{candidate.video_id} was not hydrated")
    return candidate.facts


def not_in_session(candidate: Candidate, context: FilterContext) -> bool:
    return candidate.video_id not in context.session_served


def available(candidate: Candidate, context: FilterContext) -> bool:
    """Exists (hydration found it) and is active."""
    return candidate.facts is not None and (candidate.facts.status or "active") == "active"


def unseen(candidate: Candidate, context: FilterContext) -> bool:
    facts = _facts(candidate)
    return not (facts.served or facts.viewed or facts.skipped or facts.liked)


def not_own(candidate: Candidate, context: FilterContext) -> bool:
    return _facts(candidate).creator_id != context.user_id


def not_unwanted(candidate: Candidate, context: FilterContext) -> bool:
    facts = _facts(candidate)
    return not (
        facts.not_interested_video
        or facts.not_interested_creator
        or facts.not_interested_sound
        or facts.not_interested_hashtags
    )


def not_blocked(candidate: Candidate, context: FilterContext) -> bool:
    return _facts(candidate).creator_id not in context.blocked


def no_muted_keyword(candidate: Candidate, context: FilterContext) -> bool:
    words, phrases = context.keywords
    if not words and not phrases:
        return True
    facts = _facts(candidate)
    caption = facts.caption or ""
    tokens = {normalise_hashtag(token) for token in _WORD.findall(caption.lower())}
    if words & (tokens | set(facts.hashtags)):
        return False
    return not any(phrase.search(caption) for phrase in phrases)


#: In order, cheapest first. ``available`` leads the hydrated ones: the rest need facts.
FILTERS: tuple[Filter, ...] = (
    Filter("already_in_session", not_in_session, before_hydration=True),
    Filter("unavailable", available),
    Filter("already_seen", unseen),
    Filter("own_video", not_own),
    Filter("not_interested", not_unwanted),
    Filter("blocked_creator", not_blocked),
    Filter("muted_keyword", no_muted_keyword),
)
