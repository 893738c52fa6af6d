"""Turn the batched ``feed/hydrate`` rows and the profile into candidate facts (pure)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graph.feed.candidate import Affinity, Candidate, VideoFacts
from graph.feed.profile import UserProfile


def facts_from_record(record: Mapping[str, Any], *, personal: bool) -> VideoFacts:
    """Without ``personal``, the viewer-specific signals the scorer would use are dropped
    (what the filters need, such as served or not-interested, is kept)."""
    similarity = record.get("similarity")
    to_video = set(record.get("toVideo") or ())
    return VideoFacts(
        status=record.get("status"),
        caption=record.get("caption") or "",
        created_at=int(record.get("createdAt") or 0),
        duration_ms=int(record.get("durationMs") or 0),
        creator_id=record.get("creatorId"),
        creator_name=record.get("creatorName"),
        creator_authenticity=_optional_float(record.get("creatorAuthenticity")),
        sound_id=record.get("soundId"),
        sound_title=record.get("soundTitle"),
        hashtags=tuple(record.get("hashtags") or ()),
        views=int(record.get("views") or 0),
        completes=int(record.get("completes") or 0),
        likes=int(record.get("likes") or 0),
        shares=int(record.get("shares") or 0),
        skips=int(record.get("skips") or 0),
        impressions=int(record.get("impressions") or 0),
        served="SERVED" in to_video,
        viewed="VIEWED" in to_video,
        skipped="SKIPPED" in to_video,
        liked="LIKED" in to_video,
        not_interested_video="NOT_INTERESTED" in to_video,
        not_interested_creator=bool(record.get("mutedCreator")),
        not_interested_sound=bool(record.get("mutedSound")),
        not_interested_hashtags=tuple(record.get("mutedHashtags") or ()),
        follows_creator=personal and bool(record.get("followsCreator")),
        similarity=float(similarity) if personal and similarity is not None else None,
    )


def _optional_float(value: Any) -> float | None:
    return None if value is None else float(value)


def affinity_for(facts: VideoFacts, profile: UserProfile) -> Affinity:
    creator = profile.creators.get(facts.creator_id or "")
    return Affinity(
        creator=profile.scaled(profile.creators, facts.creator_id),
        hashtag=profile.hashtag_affinity(facts.hashtags),
        sound=profile.scaled(profile.sounds, facts.sound_id),
        creator_skips=creator.skips if creator else 0,
    )


def normalise_source_scores(candidates: list[Candidate]) -> None:
    """Scale each source's scores to 0..1 by that source's best in this request, so sources
    with different units (similarities, counts, lifts) weigh alike in the scorer."""
    best: dict[str, float] = {}
    for candidate in candidates:
        for name, hit in candidate.hits.items():
            best[name] = max(best.get(name, 0.0), hit.score)
    for candidate in candidates:
        candidate.source_scores = {
            name: (hit.score / best[name] if best[name] > 0 else 1.0)
            for name, hit in candidate.hits.items()
        }
