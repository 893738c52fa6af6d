"""A synthetic short-video world with ground truth, for demos, tests and benchmarks.

``generate_world(WorldSpec(users=5000, videos=5000, seed=1))`` builds a world;
``world.records()`` yields it in the import format of docs/model.md (for
``graph.ingest.import_records``), ``write_import_dir(world, out)`` writes it as
JSON Lines plus ``truth.json``, and ``world.truth`` says what it was made from.
The same spec always gives byte-identical output (numpy ``SeedSequence`` streams
per part, no set or hash ordering, times laid out from the spec's ``end``).

Time
----
A world ends at ``WorldSpec.end`` (default: the wall clock floored to the hour, so
a demo world is alive *now*) and covers the ``days`` before it; nothing in it
happens at or after the end (likes or follows that would come seconds after the
last views are left out). Every time is the end minus an offset decided by the
other fields alone (integer milliseconds, no calendar look-ups), so a spec at
another end gives the same files with every time moved by exactly the
difference. The daily and weekly rhythm is therefore in *world time*: each
simulated day starts at the end's time of day, its evening peak is in the hours
before that time, and days 5 and 6 of each simulated week (the first day being
its Monday) are its weekend, whatever the calendar says. Pass an end at midnight
UTC for an hourly rhythm in UTC (evening peak around 20:00).

The world
---------
**Topics** (default 12 of the 20 in :mod:`graph.synth.vocabulary`: dance,
comedy, cooking, ...). Each has words that serve as its hashtags and caption
words, and a pool of sounds; a few generic hashtags (``fyp``, ``viral``, ...)
are used across all topics. Some topics draw bigger audiences than others.

**Users** (``u<n>``) have a latent interest mixture over topics: 85 % on 1-3
focus topics (Dirichlet), the rest thinly spread over all (Dirichlet, small
alpha). Daily activity is log-normal (a few heavy viewers), as is a personal
engagement multiplier (some people like everything).

**Creators** are a subset of the users (8 % by default; a creator's id is their
user id). Popularity is Zipf over a random ranking: it sets both how many videos
a creator posts and how widely those are served, so the top 10 % of creators
collect most views. A creator's videos are mostly on their own main topic.

**Videos** (``v<n>``, numbered in posting order) are posted across the simulated
days (20 % in the week before, so day one has a catalogue). Length is
log-normal around 24 s, clipped to 5-180 s. One main topic, sometimes a
second; 1-3 topic hashtags, often a generic one; a topic sound or (15 %) an
"original sound" of their own (``s<n>``); captions are built from topic words.
Each video has a hidden *quality* that makes it watchable for anyone.

**Feeds**: every day each user gets a Poisson number of impressions (more at
weekends, evening peak; both in world time, see above). Each picks a topic from
the viewer's interests (15 %: a random topic, exploration), then a video of that
topic by creator reach x freshness x trend boost. Feeds rarely repeat a video.

**Behaviour** (:mod:`graph.synth.behaviour`): appeal = topic affinity + quality
+ noise. Low appeal -> ``skip`` (watchMs of a few hundred ms to 3 s), some
strong mismatches -> ``not_interested``; otherwise a ``view`` whose completion
grows with appeal and falls with length; completes of appealing videos get
rewatches. ``like`` grows with completion; ``comment`` and ``share`` are far rarer.
A ``follow`` comes only after a viewer's second or later complete of a creator.

**Trends**: a few hashtags / sounds, each with a topic and a peak day; videos
posted near the peak adopt them and feeds boost them while hot, so usage and
engagement rise and fade. **Viral videos**: a few good videos of small creators,
from the first third of the period, win a share of *everyone's* feed (people who
have not seen them yet) that doubles daily for about four days, then fades.

**Inauthentic accounts** (:mod:`graph.synth.inauthentic`): bot rings that follow
each other densely and one or two target creators within hours, and creators who
buy a burst of follows from fresh accounts. These accounts never watch or engage.

Follows: ``follows.jsonl`` is the follow graph *before* the simulated period
(``at`` earlier than the start); every follow during it (organic ones, with the
``videoId`` that won it, and all inauthentic ones) is a ``follow`` interaction
event, so spikes show in time.
"""

from graph.synth.spec import WorldSpec
from graph.synth.world import RECORD_KINDS, RecordStream, World, generate_world
from graph.synth.writer import write_import_dir, write_truth

__all__ = [
    "RECORD_KINDS",
    "RecordStream",
    "World",
    "WorldSpec",
    "generate_world",
    "write_import_dir",
    "write_truth",
]
