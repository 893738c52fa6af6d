"""Feed policy: a viewer's stored settings applied to every request, whoever asks.

``personalized: false`` turns the For You feed into the non-profiled one (the EU DSA
option); stored keyword filters and interests join the request's own. The engine
applies this after the viewer read, so the GraphQL API, ``fyp feed`` and the
evaluation all obey the same settings.
"""

from __future__ import annotations

from dataclasses import replace

from graph.feed.model import Controls, Mode
from graph.settings_store import UserSettings, clean_interests, clean_keywords


def effective_mode(asked: Mode, settings: UserSettings) -> Mode:
    """A person who turned personalisation off never gets a profiled feed."""
    if not settings.personalized and asked is Mode.FOR_YOU:
        return Mode.NON_PERSONALIZED
    return asked


def merged_controls(asked: Controls, settings: UserSettings) -> Controls:
    """The request's controls with the stored keyword filters and interests added."""
    if not settings.keyword_filters and not settings.interests:
        return asked
    return replace(
        asked,
        keyword_filters=tuple(clean_keywords([*settings.keyword_filters, *asked.keyword_filters])),
        interests=tuple(clean_interests([*settings.interests, *asked.interests])),
    )
