"""The feed of each mode as one declarative list of named stages.

Shaped like X's home-mixer: candidate sources -> filters -> scorer -> selector
(diversifier) -> side effects (impressions). The engine runs whatever a pipeline
lists; adding a source or a filter is one line here plus its own module entry.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from graph.feed.candidate import NON_PERSONAL_SOURCES, SOURCE_NAMES
from graph.feed.filters import FILTERS, Filter
from graph.feed.model import Mode
from graph.feed.sources import SOURCES, CandidateSource


@dataclass(frozen=True)
class FeedPipeline:
    mode: Mode
    sources: tuple[CandidateSource, ...]
    filters: tuple[Filter, ...]
    #: Read the viewer's history and score with personal signals (affinities,
    #: embedding similarity, follows). Off = no profiling at all.
    personal: bool
    #: Give exploration slots to fresh and out-of-bubble videos.
    exploration: bool

    @property
    def source_names(self) -> tuple[str, ...]:
        return tuple(source.name for source in self.sources)


def _sources(*names: str) -> tuple[CandidateSource, ...]:
    return tuple(SOURCES[name] for name in names)


PIPELINES: Mapping[Mode, FeedPipeline] = {
    Mode.FOR_YOU: FeedPipeline(
        Mode.FOR_YOU, _sources(*SOURCE_NAMES), FILTERS, personal=True, exploration=True
    ),
    Mode.FOLLOWING: FeedPipeline(
        Mode.FOLLOWING, _sources("following"), FILTERS, personal=True, exploration=False
    ),
    Mode.NON_PERSONALIZED: FeedPipeline(
        Mode.NON_PERSONALIZED,
        _sources(*NON_PERSONAL_SOURCES),
        FILTERS,
        personal=False,
        # "Outside your bubble" means nothing without a profile: rank plainly.
        exploration=False,
    ),
}
