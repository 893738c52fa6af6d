"""The brands side: influencer discovery over the same graph the feed uses.

- :func:`discover_creators`: creators by niche (hashtags or a free topic), follower
  range, engagement, completion and growth, ranked and paginated by opaque cursors;
- :func:`audience_overlap`: engaged-audience overlap of a set of creators, the union
  reach and the creators that would widen it most;
- :func:`lookalike_creators`: creators like one, from embeddings and shared audiences;
- :func:`creator_authenticity`, :func:`suspicious_accounts`,
  :func:`store_authenticity`: ghost followers, follow rings and follower spikes.

Every function takes a :class:`graph.db.Graph` and returns the dataclasses of
:mod:`graph.brands.models`.
"""

from graph.brands.authenticity import (
    SuspiciousAccount,
    creator_authenticity,
    store_authenticity,
    suspicious_accounts,
)
from graph.brands.discover import discover_creators
from graph.brands.lookalike import lookalike_creators
from graph.brands.models import (
    AudienceOverlap,
    Authenticity,
    CreatorCard,
    CreatorFilter,
    CreatorPage,
    CreatorSort,
    HashtagCount,
    Lookalike,
    PairOverlap,
    ReachSuggestion,
    Spike,
)
from graph.brands.overlap import audience_overlap

__all__ = [
    "AudienceOverlap",
    "Authenticity",
    "CreatorCard",
    "CreatorFilter",
    "CreatorPage",
    "CreatorSort",
    "HashtagCount",
    "Lookalike",
    "PairOverlap",
    "ReachSuggestion",
    "Spike",
    "SuspiciousAccount",
    "audience_overlap",
    "creator_authenticity",
    "discover_creators",
    "lookalike_creators",
    "store_authenticity",
    "suspicious_accounts",
]
