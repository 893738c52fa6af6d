"""Hydrators: the viewer's vector for the query, and per-candidate facts for the scorer.

Candidate hydrators fill in what the scorer and the selector need beyond the sources'
own scores: the video's age, the viewer's affinity to its creator, hashtags and sound,
whether they follow its creator, and the cosine of their embeddings. All of it comes
from the viewer read and the read model; none queries the database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from graph.feed.hydrators.age import hydrate_age
from graph.feed.hydrators.personal import hydrate_personal
from graph.feed.query import FeedQuery
from graph.feed.slate import Slate


@dataclass(frozen=True)
class CandidateHydrator:
    name: str
    hydrate: Callable[[FeedQuery, Slate], None]
    #: Only for pipelines that profile the viewer.
    personal: bool = False


AGE = CandidateHydrator("age", hydrate_age)
PERSONAL = CandidateHydrator("personal_signals", hydrate_personal, personal=True)
