"""The feed of each mode as one declarative list of named components.

Shaped like X's home-mixer candidate pipelines: query hydration (the viewer read, the
shared lists, the viewer's vector) -> candidate sources -> merge -> filters (cheapest
first) -> widening when the feed runs dry -> candidate hydrators -> scorer -> selector
(diversity and exploration) -> side effects (impressions, written behind the response).
The engine runs whatever a pipeline lists; adding a source or a filter is one line here
plus its own module.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from graph.feed.candidate import NON_PERSONAL_SOURCES, SOURCE_NAMES
from graph.feed.filters import FILTERS, Filter
from graph.feed.hydrators import AGE, PERSONAL, CandidateHydrator
from graph.feed.model import Mode
from graph.feed.scorers import ENGAGEMENT, EngagementScorer
from graph.feed.selectors import DIVERSITY, DiversitySelector

#: Query hydrators, by name: the one viewer read, the shared non-personal lists (when
#: the mode uses them), the viewer's vector (when it profiles them).
VIEWER, SHARED_LISTS, VECTOR = "viewer", "shared_lists", "viewer_vector"
#: Side effects, by name.
IMPRESSIONS = "impressions"


@dataclass(frozen=True)
class FeedPipeline:
    mode: Mode
    query_hydrators: tuple[str, ...]
    sources: tuple[str, ...]
    filters: tuple[Filter, ...]
    hydrators: tuple[CandidateHydrator, ...]
    scorer: EngagementScorer
    selector: DiversitySelector
    side_effects: tuple[str, ...]
    #: Read the viewer's history and score with personal signals (affinities,
    #: embedding similarity, follows). Off = no profiling at all.
    personal: bool
    #: Give exploration slots to fresh and out-of-bubble videos.
    exploration: bool
    #: Endless: widen to the long tail, then re-serve, rather than run dry
    #: (graph.feed.widen). Off for Following, whose end is news ("all caught up").
    widen: bool

    @property
    def source_names(self) -> tuple[str, ...]:
        return self.sources


PIPELINES: Mapping[Mode, FeedPipeline] = {
    Mode.FOR_YOU: FeedPipeline(
        Mode.FOR_YOU,
        query_hydrators=(VIEWER, SHARED_LISTS, VECTOR),
        sources=SOURCE_NAMES,
        filters=FILTERS,
        hydrators=(AGE, PERSONAL),
        scorer=ENGAGEMENT,
        selector=DIVERSITY,
        side_effects=(IMPRESSIONS,),
        personal=True,
        exploration=True,
        widen=True,
    ),
    Mode.FOLLOWING: FeedPipeline(
        Mode.FOLLOWING,
        query_hydrators=(VIEWER, VECTOR),
        sources=("following",),
        filters=FILTERS,
        hydrators=(AGE, PERSONAL),
        scorer=ENGAGEMENT,
        selector=DIVERSITY,
        side_effects=(IMPRESSIONS,),
        personal=True,
        exploration=False,
        widen=False,
    ),
    Mode.NON_PERSONALIZED: FeedPipeline(
        Mode.NON_PERSONALIZED,
        query_hydrators=(VIEWER, SHARED_LISTS),
        sources=NON_PERSONAL_SOURCES,
        filters=FILTERS,
        hydrators=(AGE,),
        scorer=ENGAGEMENT,
        selector=DIVERSITY,
        side_effects=(IMPRESSIONS,),
        personal=False,
        # "Outside your bubble" means nothing without a profile: rank plainly.
        exploration=False,
        widen=True,
    ),
}
