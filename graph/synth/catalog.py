"""What gets posted: videos with topics, durations, hashtags, sounds and captions.

Videos are indexed in posting order (id ``v<index>``); sounds by index (``s<index>``):
first each topic's pool of sounds, then trend sounds, then "original sounds"
that belong to a single video.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graph.synth.arrays import FloatArray, IntArray, sample_rows, zipf_weights
from graph.synth.population import Creators, Population
from graph.synth.spec import DAY_MS, WorldSpec
from graph.synth.trends import (
    TREND_ADOPTION_IN_TOPIC,
    TREND_ADOPTION_OFF_TOPIC,
    TREND_BOOST,
    VIRAL_QUALITY,
    Trend,
    Viral,
    pick_virals,
    trend_peak_days,
)
from graph.synth.vocabulary import CAPTION_TEMPLATES, GENERIC_HASHTAGS, SOUND_NOUNS, TOPICS

#: Share of videos posted in the week before the simulation starts, so day one
#: already has something to watch.
BACKLOG_SHARE = 0.2
BACKLOG_DAYS = 7
#: Video length: log-normal around 24 s, clipped to 5..180 s (most land in 10..60 s).
DURATION_MEDIAN_MS = 24_000
DURATION_SIGMA = 0.65
DURATION_RANGE_MS = (5_000, 180_000)
#: Chance a video's topic is its creator's main topic (else one of their others).
ON_BRAND = 0.8
SECONDARY_TOPIC_SHARE = 0.2
ORIGINAL_SOUND_SHARE = 0.15
GENERIC_HASHTAG_SHARE = 0.5
#: Feed weight decays with age: (1 + age / FRESH_DAYS) ** -FRESH_DECAY.
FRESH_DAYS = 1.5
FRESH_DECAY = 1.5


@dataclass(frozen=True)
class Sound:
    title: str
    topic: int


@dataclass(frozen=True)
class Catalog:
    topic_names: list[str]
    #: Per video (posting order): creator slot, time, length, topics, appeal.
    creator: IntArray
    created_at: IntArray
    duration_ms: IntArray
    topic: IntArray
    #: A second topic for some videos, -1 for none.
    secondary: IntArray
    #: 0..1, how watchable the video is for anyone (independent of interests).
    quality: FloatArray
    #: Base feed weight: creator reach times the video's own luck.
    popularity: FloatArray
    sound: IntArray
    hashtags: list[list[str]]
    captions: list[str]
    sounds: list[Sound]
    #: Topic of every hashtag in use; None for the generic ones (fyp, viral, ...).
    hashtag_topic: dict[str, int | None]
    trends: list[Trend]
    #: (video, trend index) pairs: which videos joined which trend.
    trend_video: IntArray
    trend_index: IntArray
    virals: list[Viral]
    start_ms: int

    @property
    def size(self) -> int:
        return len(self.created_at)

    def created_day(self) -> FloatArray:
        """Fractional days since the start (negative for the backlog)."""
        return np.asarray((self.created_at - self.start_ms) / DAY_MS, dtype=np.float64)

    def feed_weight(self, day: int) -> FloatArray:
        """How likely each video is to be served on ``day``, within its topic (unnormalised)."""
        day_start = self.start_ms + day * DAY_MS
        age_days = np.maximum(0.0, (day_start + DAY_MS / 2 - self.created_at) / DAY_MS)
        freshness = (1.0 + age_days / FRESH_DAYS) ** -FRESH_DECAY
        # A video posted late in the day can only collect that day's remaining views.
        available = np.clip((day_start + DAY_MS - self.created_at) / DAY_MS, 0.0, 1.0)
        return np.asarray(
            self.popularity * freshness * available * self.trend_boost(day), dtype=np.float64
        )

    def trend_boost(self, day: int) -> FloatArray:
        boost = np.ones(self.size)
        for index, trend in enumerate(self.trends):
            videos = self.trend_video[self.trend_index == index]
            lift = 1.0 + TREND_BOOST * float(trend.intensity(day + 0.5))
            boost[videos] = np.maximum(boost[videos], lift)
        return boost


def make_catalog(
    spec: WorldSpec, population: Population, creators: Creators, rng: np.random.Generator
) -> Catalog:
    topic_names = list(TOPICS)[: spec.topics]
    creator = _assign_creators(spec.videos, creators.reach, rng)
    created_at = _posting_times(spec, rng)
    topic, secondary = _video_topics(
        population.mixture[creators.users[creator]], creators.topic[creator], rng
    )
    duration_ms = np.clip(
        rng.lognormal(np.log(DURATION_MEDIAN_MS), DURATION_SIGMA, spec.videos), *DURATION_RANGE_MS
    ).astype(np.int64)
    quality = rng.beta(2.0, 2.0, spec.videos)
    popularity = creators.reach[creator] * rng.lognormal(0.0, 0.5, spec.videos)

    sounds, sound = _topic_sounds(topic_names, topic, rng)
    trends = _plan_trends(spec, topic_names, population.topic_weight, sounds, rng)
    created_day = (created_at - spec.start_ms) / DAY_MS
    trend_video, trend_index = _adopt_trends(trends, created_day, topic, secondary, rng)
    sound = _original_sounds(sound, creator, creators, population, topic, sounds, rng)
    # Joining a sound trend means using that sound, even instead of one's own audio.
    for video, index in zip(trend_video.tolist(), trend_index.tolist(), strict=True):
        if trends[index].sound is not None:
            sound[video] = trends[index].sound

    virals = pick_virals(created_day, quality, creators.reach[creator], spec.days, spec.virals, rng)
    for viral in virals:
        quality[viral.video] = max(quality[viral.video], VIRAL_QUALITY)

    hashtags = _hashtags(topic_names, topic, secondary, trends, trend_video, trend_index, rng)
    captions = _captions(topic_names, topic, hashtags, rng)
    hashtag_topic = _hashtag_topics(topic_names, trends, hashtags)
    return Catalog(
        topic_names=topic_names,
        creator=creator,
        created_at=created_at,
        duration_ms=duration_ms,
        topic=topic,
        secondary=secondary,
        quality=quality,
        popularity=popularity,
        sound=sound,
        hashtags=hashtags,
        captions=captions,
        sounds=sounds,
        hashtag_topic=hashtag_topic,
        trends=trends,
        trend_video=trend_video,
        trend_index=trend_index,
        virals=virals,
        start_ms=spec.start_ms,
    )


def _assign_creators(videos: int, reach: FloatArray, rng: np.random.Generator) -> IntArray:
    """Every creator posts at least once; the rest follow reach (prolific = popular)."""
    count = len(reach)
    per_creator = np.ones(count, dtype=np.int64)
    share = reach**0.8 / (reach**0.8).sum()
    per_creator += rng.multinomial(videos - count, share)
    # Shuffled so each creator's posts spread over the whole period.
    return rng.permutation(np.repeat(np.arange(count, dtype=np.int64), per_creator))


def _posting_times(spec: WorldSpec, rng: np.random.Generator) -> IntArray:
    backlog = rng.random(spec.videos) < BACKLOG_SHARE
    offset_days = np.where(
        backlog,
        -BACKLOG_DAYS * rng.random(spec.videos),
        spec.days * rng.random(spec.videos),
    )
    # Integer offsets from the start: another end moves every time by exactly as much.
    return np.sort(spec.start_ms + np.floor(offset_days * DAY_MS).astype(np.int64))


def _video_topics(
    creator_mixture: FloatArray, creator_topic: IntArray, rng: np.random.Generator
) -> tuple[IntArray, IntArray]:
    cumulative = np.cumsum(creator_mixture, axis=1)
    rows = np.arange(len(creator_topic), dtype=np.int64)
    topic = np.where(
        rng.random(len(rows)) < ON_BRAND, creator_topic, sample_rows(cumulative, rows, rng)
    )
    other = sample_rows(cumulative, rows, rng)
    wants_secondary = rng.random(len(rows)) < SECONDARY_TOPIC_SHARE
    secondary = np.where(wants_secondary & (other != topic), other, -1)
    return topic.astype(np.int64), secondary.astype(np.int64)


def _topic_sounds(
    topic_names: list[str], topic: IntArray, rng: np.random.Generator
) -> tuple[list[Sound], IntArray]:
    """A pool of sounds per topic, a few of them far more used than the rest."""
    per_topic = max(2, -(-len(topic) // (len(topic_names) * 15)))
    sounds: list[Sound] = []
    sound = np.zeros(len(topic), dtype=np.int64)
    weights = zipf_weights(per_topic, 1.0)
    for index, name in enumerate(topic_names):
        first = len(sounds)
        words = rng.choice(TOPICS[name], size=per_topic).tolist()
        nouns = rng.choice(SOUND_NOUNS, size=per_topic).tolist()
        sounds += [Sound(f"{w} {n}", index) for w, n in zip(words, nouns, strict=True)]
        videos = np.flatnonzero(topic == index)
        sound[videos] = first + rng.choice(per_topic, size=len(videos), p=weights)
    return sounds, sound


def _original_sounds(
    sound: IntArray,
    creator: IntArray,
    creators: Creators,
    population: Population,
    topic: IntArray,
    sounds: list[Sound],
    rng: np.random.Generator,
) -> IntArray:
    """Some videos use their own audio: a sound of their own, titled after the creator."""
    sound = sound.copy()
    for video in np.flatnonzero(rng.random(len(sound)) < ORIGINAL_SOUND_SHARE).tolist():
        name = population.names[int(creators.users[creator[video]])]
        sound[video] = len(sounds)
        sounds.append(Sound(f"original sound - {name}", int(topic[video])))
    return sound


def _plan_trends(
    spec: WorldSpec,
    topic_names: list[str],
    topic_weight: FloatArray,
    sounds: list[Sound],
    rng: np.random.Generator,
) -> list[Trend]:
    """Alternating hashtag and sound trends, in topics picked by audience size."""
    peaks = trend_peak_days(spec.days, spec.trends, rng)
    taken = {word for name in topic_names for word in TOPICS[name]} | set(GENERIC_HASHTAGS)
    trends: list[Trend] = []
    for index in range(spec.trends):
        topic = int(rng.choice(spec.topics, p=topic_weight))
        word = str(rng.choice(TOPICS[topic_names[topic]]))
        if index % 2 == 0:
            hashtag = f"{word}challenge"
            while hashtag in taken:
                hashtag += str(index)
            taken.add(hashtag)
            trends.append(Trend("hashtag", hashtag, None, topic, int(peaks[index])))
        else:
            sounds.append(Sound(f"{word} (sped up)", topic))
            trends.append(Trend("sound", None, len(sounds) - 1, topic, int(peaks[index])))
    return trends


def _adopt_trends(
    trends: list[Trend],
    created_day: FloatArray,
    topic: IntArray,
    secondary: IntArray,
    rng: np.random.Generator,
) -> tuple[IntArray, IntArray]:
    """Videos posted while a trend is hot join it, mostly in the trend's own topic."""
    videos: list[IntArray] = []
    indexes: list[IntArray] = []
    for index, trend in enumerate(trends):
        in_topic = (topic == trend.topic) | (secondary == trend.topic)
        adoption = np.where(in_topic, TREND_ADOPTION_IN_TOPIC, TREND_ADOPTION_OFF_TOPIC)
        joined = np.flatnonzero(rng.random(len(topic)) < adoption * trend.intensity(created_day))
        videos.append(joined.astype(np.int64))
        indexes.append(np.full(len(joined), index, dtype=np.int64))
    if not videos:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(videos), np.concatenate(indexes)


def _hashtags(
    topic_names: list[str],
    topic: IntArray,
    secondary: IntArray,
    trends: list[Trend],
    trend_video: IntArray,
    trend_index: IntArray,
    rng: np.random.Generator,
) -> list[list[str]]:
    """1-3 tags of the video's topic (popular ones first), maybe one of its second
    topic, the trend tags it joined, and often a generic tag."""
    videos = len(topic)
    topic_tags = 1 + rng.binomial(2, 0.4, videos)
    generic = np.where(
        rng.random(videos) < GENERIC_HASHTAG_SHARE,
        rng.choice(len(GENERIC_HASHTAGS), size=videos, p=zipf_weights(len(GENERIC_HASHTAGS), 1.0)),
        -1,
    )
    second_word = rng.integers(0, 1_000_000, videos).tolist()
    trend_tags: dict[int, list[str]] = {}
    for video, index in zip(trend_video.tolist(), trend_index.tolist(), strict=True):
        tag = trends[index].hashtag
        if tag is not None:
            trend_tags.setdefault(video, []).append(tag)

    weights = {name: zipf_weights(len(TOPICS[name]), 0.8) for name in topic_names}
    result: list[list[str]] = []
    for video in range(videos):
        name = topic_names[int(topic[video])]
        words = TOPICS[name]
        picked = rng.choice(len(words), size=int(topic_tags[video]), replace=False, p=weights[name])
        tags = [words[int(i)] for i in picked]
        if secondary[video] >= 0:
            other = TOPICS[topic_names[int(secondary[video])]]
            tags.append(other[second_word[video] % len(other)])
        tags += trend_tags.get(video, [])
        if generic[video] >= 0:
            tags.append(GENERIC_HASHTAGS[int(generic[video])])
        result.append(tags)
    return result


def _captions(
    topic_names: list[str], topic: IntArray, hashtags: list[list[str]], rng: np.random.Generator
) -> list[str]:
    templates = rng.integers(0, len(CAPTION_TEMPLATES), len(topic)).tolist()
    picks = rng.integers(0, 1_000_000, len(topic)).tolist()
    captions: list[str] = []
    for video, tags in enumerate(hashtags):
        words = TOPICS[topic_names[int(topic[video])]]
        text = CAPTION_TEMPLATES[templates[video]].format(
            a=tags[0], b=words[picks[video] % len(words)]
        )
        captions.append(text + " " + " ".join(f"#{tag}" for tag in tags))
    return captions


def _hashtag_topics(
    topic_names: list[str], trends: list[Trend], hashtags: list[list[str]]
) -> dict[str, int | None]:
    known: dict[str, int | None] = {tag: None for tag in GENERIC_HASHTAGS}
    for index, name in enumerate(topic_names):
        known.update({word: index for word in TOPICS[name]})
    known.update({t.hashtag: t.topic for t in trends if t.hashtag is not None})
    used = {tag for tags in hashtags for tag in tags}
    return {tag: topic for tag, topic in known.items() if tag in used}
