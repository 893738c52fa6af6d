"""The viewer's profile from their recent history (no database)."""

from __future__ import annotations

from typing import Any

from graph.feed.profile import build_profile


def row(video: str, at: int, **fields: Any) -> dict[str, Any]:
    base = {"videoId": video, "at": at, "creatorId": "c1", "soundId": "s1",
            "soundTitle": "Purr", "hashtags": ["cats"]}  # fmt: skip
    return {**base, **fields}


def test_completes_likes_and_shares_build_affinities() -> None:
    profile = build_profile(
        "u1",
        {
            "recent": [
                row("v1", 3, completion=1.0, viewed=True, liked=True),
                row("v2", 2, completion=0.5, viewed=True, hashtags=["dogs"], creatorId="c2",
                    soundId="s2"),
                row("v3", 1, skipped=True, hashtags=["cars"], creatorId="c3", soundId="s3"),
            ],
            "following": 4,
        },
    )  # fmt: skip
    assert profile.has_history and profile.following == 4
    cats = profile.hashtags["cats"]
    assert (cats.completes, cats.likes, cats.weight) == (1, 1, 3.0)
    assert profile.hashtags["dogs"].weight == 0.15  # a half-watched view: weak evidence
    assert profile.hashtags["cars"].weight < 0
    assert [t.key for t in profile.top(profile.hashtags, 5)] == ["cats", "dogs"]
    assert profile.scaled(profile.hashtags, "cats") == 1.0
    assert profile.scaled(profile.hashtags, "cars") == 0.0
    assert profile.creators["c3"].skips == 1
    assert profile.sounds["s1"].label == "Purr"


def test_seeds_are_viewed_or_liked_newest_first_and_weighed_by_strength() -> None:
    profile = build_profile(
        "u1",
        {
            "recent": [
                row("old", 1, completion=0.99, viewed=True, views=1),
                row("new", 5, liked=True),
                row("half", 4, completion=0.5, viewed=True, views=2),
                row("skip", 6, completion=0.1, viewed=True, views=1, skipped=True),
                row("shared", 7, shared=True),  # neither viewed nor liked: no seed
            ]
        },
    )
    assert [s.video_id for s in profile.seeds(10)] == ["skip", "new", "half", "old"]
    assert [s.video_id for s in profile.seeds(1)] == ["skip"]
    strength = {s.video_id: s.strength(0.95, 18_000) for s in profile.seeds(10)}
    # A complete view counts 2 more than its views; a like 1; a swipe only its view.
    assert strength == {"skip": 1.0, "new": 1.0, "half": 2.0, "old": 3.0}


def test_interests_seed_a_cold_start() -> None:
    profile = build_profile("u9", {"recent": []}, interests=["#Cooking", "dance"])
    assert not profile.has_history
    assert {t.key for t in profile.top(profile.hashtags, 5)} == {"cooking", "dance"}
    assert profile.hashtags["cooking"].chosen


def test_embedding_is_read_when_present() -> None:
    assert build_profile("u1", {"embedding": [1, 2]}).embedding == (1.0, 2.0)
    assert build_profile("u1", {}).embedding is None
