"""Explanations: sentences built from the graph data each source returned (no database)."""

from __future__ import annotations

from graph.feed.candidate import Candidate, SourceHit
from graph.feed.explain import EXPLORATION, activity, age, explain
from graph.feed.profile import Tally, build_profile

HOUR = 3_600_000


def test_age_and_activity_read_naturally() -> None:
    assert age(5 * 60_000) == "5 min"
    assert age(3 * HOUR) == "3 h"
    assert age(72 * HOUR) == "3 days"
    assert activity(Tally("cats", completes=3)) == "completed 3 videos"
    assert activity(Tally("cats", completes=1, likes=2, shares=1)) == (
        "completed 1 video, liked 2 and shared 1"
    )
    assert activity(Tally("cats", views=2)) == "watched 2 videos"
    assert activity(Tally("cats")) == ""


def test_every_source_names_its_path() -> None:
    profile = build_profile(
        "u1",
        {"recent": [{"videoId": "c1", "at": 1, "completion": 1.0, "viewed": True,
                     "liked": True, "hashtags": ["cats"], "soundId": "s1",
                     "soundTitle": "Purr beat"}]},
    )  # fmt: skip
    candidate = Candidate("v9")
    candidate.age_ms = 5 * HOUR
    hits = [
        SourceHit("v9", "following", 1, {"creatorId": "maya", "creatorName": "Maya"}),
        SourceHit("v9", "co_engagement", 1,
                  {"peers": 5, "seeds": [{"id": "c1", "caption": "Cat video"}]}),
        SourceHit("v9", "personal", 0.4, {"rank": 3, "computedAt": 1}),
        SourceHit("v9", "hashtag_affinity", 1, {"hashtags": ["cats"]}),
        SourceHit("v9", "sound_affinity", 1, {"soundId": "s1", "soundTitle": "Purr beat"}),
        SourceHit("v9", "embedding", 0.83, {"similarity": 0.83}),
        SourceHit("v9", "trending", 1,
                  {"kind": "hashtag", "name": "dogs", "events": 40, "lift": 3.1, "hours": 2.0}),
        SourceHit("v9", "viral", 1, {"recentRate": 0.6, "beforeRate": 0.04, "impressions": 10}),
        SourceHit("v9", "popular", 948, {"viewers": 948, "days": 7.0}),
        SourceHit("v9", "fresh", 1, {"impressions": 0, "creatorId": "newbie", "newCreator": True}),
        SourceHit("v9", "social", 1,
                  {"likers": [{"id": "li", "name": "li"}, {"id": "bo", "name": None}], "count": 3}),
    ]  # fmt: skip
    for hit in hits:
        candidate.add(hit)
    candidate.contributions = {"source_following": 0.8, "recency": 0.0001}
    explanation = explain(candidate, profile, exploration=True)
    assert explanation.reasons == (
        "@Maya, whom you follow, posted this 5 h ago",
        "5 viewers who watched “Cat video” also watched this",
        "#3 of the videos picked for you from everything you watched (refreshed in the background)",
        "you completed 1 video and liked 1 with #cats",
        "you completed 1 video and liked 1 using the sound “Purr beat”",
        "close to what you watch in the graph's random-walk embedding (similarity 0.83)",
        "#dogs is trending: 40 events in the last 2 h, 3.1x its usual share",
        "going viral: 60% of its last 10 viewers engaged, against 4% before",
        "popular: 948 viewers watched it through in the last 7 days",
        "new: posted 5 h ago, only 0 impressions so far, from @newbie, a new creator",
        "@li, @bo and 1 more, whom you follow, liked this",
        EXPLORATION,
    )
    assert explanation.weights == {"source_following": 0.8}  # negligible ones left out


def test_a_chosen_interest_says_so() -> None:
    profile = build_profile("u1", {"recent": []}, interests=["cooking"])
    candidate = Candidate("v1")
    candidate.add(SourceHit("v1", "hashtag_affinity", 1, {"hashtags": ["cooking"]}))
    assert explain(candidate, profile, exploration=False).reasons == (
        "you picked #cooking as an interest",
    )
