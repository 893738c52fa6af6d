"""The world behaves like a short-video app: checked from the records and the truth only."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

import pytest

from graph.synth import WorldSpec, generate_world
from graph.synth.spec import DAY_MS, HOUR_MS

SPEC = WorldSpec(users=2000, videos=2000, seed=11)
MATCHED, MISMATCHED = 0.6, 0.2


@dataclass
class Observed:
    users: dict[str, dict[str, Any]]
    videos: dict[str, dict[str, Any]]
    follows: list[dict[str, Any]]
    events: list[dict[str, Any]]
    truth: dict[str, Any]

    def of(self, *kinds: str) -> list[dict[str, Any]]:
        return [e for e in self.events if e["type"] in kinds]

    def fit(self, user: str, video: str) -> float:
        """Interest of the user in the video's main topic, relative to their top topic."""
        shares = self.truth["userInterests"][user]
        topic = self.truth["topics"].index(self.truth["videoTopics"][video]["topic"])
        return float(shares[topic] / max(shares))

    def day(self, at: int) -> int:
        return (at - SPEC.start_ms) // DAY_MS

    def creator_of(self, video: str) -> str:
        return str(self.videos[video]["creatorId"])


@pytest.fixture(scope="module")
def world() -> Observed:
    generated = generate_world(SPEC)
    records = generated.records()
    return Observed(
        users={u["id"]: u for u in records["users"]},
        videos={v["id"]: v for v in records["videos"]},
        follows=list(records["follows"]),
        events=list(records["interactions"]),
        truth=generated.truth,
    )


def _completion(world: Observed, view: dict[str, Any]) -> float:
    return min(1.0, view["watchMs"] / world.videos[view["videoId"]]["durationMs"])


def test_a_few_creators_win_most_views(world: Observed) -> None:
    per_creator = Counter(world.creator_of(v["videoId"]) for v in world.of("view"))
    counts = sorted(per_creator.values(), reverse=True)
    top = counts[: max(1, len(world.truth["creators"]) // 10)]
    assert sum(top) / sum(counts) > 0.5


def test_a_few_creators_post_most_videos(world: Observed) -> None:
    per_creator = sorted(Counter(v["creatorId"] for v in world.videos.values()).values())[::-1]
    top = per_creator[: max(1, len(per_creator) // 10)]
    assert sum(top) / len(world.videos) > 0.3
    assert per_creator[-1] >= 1


def test_viewers_mostly_see_their_interests_plus_some_exploration(world: Observed) -> None:
    fits = [world.fit(e["userId"], e["videoId"]) for e in world.of("view", "skip")]
    matched = sum(f >= 0.5 for f in fits) / len(fits)
    assert 0.5 < matched < 0.95


def test_likes_are_much_rarer_than_views_and_shares_rarer_than_likes(world: Observed) -> None:
    counts = Counter(e["type"] for e in world.events)
    assert 0 < counts["like"] < 0.2 * counts["view"]
    assert 0 < counts["share"] < counts["like"] and 0 < counts["comment"] < counts["like"]
    assert 0 < counts["not_interested"] < 0.1 * counts["skip"]


def test_likes_grow_with_completion(world: Observed) -> None:
    liked = {(e["userId"], e["videoId"]) for e in world.of("like")}
    low, high = [], []
    for view in world.of("view"):
        bucket = (
            high
            if _completion(world, view) >= 0.95
            else low
            if _completion(world, view) < 0.3
            else None
        )
        if bucket is not None:
            bucket.append((view["userId"], view["videoId"]) in liked)
    assert sum(high) / len(high) > 3 * sum(low) / len(low)


def test_completion_is_higher_for_matched_than_mismatched_pairs(world: Observed) -> None:
    matched, mismatched = [], []
    for view in world.of("view"):
        fit = world.fit(view["userId"], view["videoId"])
        if fit >= MATCHED:
            matched.append(_completion(world, view))
        elif fit < MISMATCHED:
            mismatched.append(_completion(world, view))
    assert len(matched) > 100 and len(mismatched) > 100
    assert sum(matched) / len(matched) > sum(mismatched) / len(mismatched) + 0.2


def test_rewatches_come_with_completes(world: Observed) -> None:
    rewatched = [v for v in world.of("view") if v["rewatches"] > 0]
    assert rewatched
    for view in rewatched:
        assert (
            view["watchMs"] >= (1 + view["rewatches"]) * world.videos[view["videoId"]]["durationMs"]
        )


def test_skips_concentrate_on_mismatches(world: Observed) -> None:
    rate: dict[bool, list[bool]] = defaultdict(list)
    for event in world.of("view", "skip"):
        fit = world.fit(event["userId"], event["videoId"])
        if fit >= MATCHED or fit < MISMATCHED:
            rate[fit < MISMATCHED].append(event["type"] == "skip")
    mismatched = sum(rate[True]) / len(rate[True])
    matched = sum(rate[False]) / len(rate[False])
    assert mismatched > 3 * matched


def test_not_interested_follows_a_skip_of_a_strong_mismatch(world: Observed) -> None:
    skipped: dict[tuple[str, str], int] = {}
    for skip in world.of("skip"):  # events are in time order: keep each pair's first skip
        skipped.setdefault((skip["userId"], skip["videoId"]), skip["at"])
    refused = world.of("not_interested")
    assert refused
    for event in refused:
        assert skipped[(event["userId"], event["videoId"])] < event["at"]
        assert world.fit(event["userId"], event["videoId"]) < 0.25


def test_organic_follows_come_after_repeated_completes(world: Observed) -> None:
    bots = set(world.truth["bots"])
    completes: dict[tuple[str, str], list[int]] = defaultdict(list)
    for view in world.of("view"):
        if _completion(world, view) >= 0.95:
            completes[(view["userId"], world.creator_of(view["videoId"]))].append(view["at"])
    organic = [f for f in world.of("follow") if f["userId"] not in bots]
    assert len(organic) > 50
    for follow in organic:
        before = [
            at for at in completes[(follow["userId"], follow["creatorId"])] if at < follow["at"]
        ]
        assert len(before) >= 2, follow
        assert world.creator_of(follow["videoId"]) == follow["creatorId"]


def test_trends_peak_on_their_day(world: Observed) -> None:
    trends = world.truth["trends"]
    assert {t["kind"] for t in trends} == {"hashtag", "sound"}
    virals = {v["videoId"] for v in world.truth["viralVideos"]}
    for trend in trends:
        # A viral video may ride a trend; its own growth is another test's business.
        carriers = set(trend["videos"]) - virals
        assert len(carriers) >= 5
        posts = Counter(world.day(world.videos[v]["createdAt"]) for v in carriers)
        views = Counter(world.day(e["at"]) for e in world.of("view") if e["videoId"] in carriers)
        around_peak = sum(posts[trend["peakDay"] + d] for d in (-1, 0, 1))
        assert around_peak > 0.5 * len(carriers), (trend, posts)
        assert abs(views.most_common(1)[0][0] - trend["peakDay"]) <= 1, (trend, views)
        # Rise and fade: the peak dwarfs the far edges of the period.
        peak = views.most_common(1)[0][1]
        assert views[trend["peakDay"] - 4] < peak / 3 and views[trend["peakDay"] + 4] < peak / 3


def test_viral_videos_grow_daily_and_reach_beyond_their_topic(world: Observed) -> None:
    virals = world.truth["viralVideos"]
    assert len(virals) == SPEC.virals
    all_views = world.of("view", "skip")
    everyone = sum(world.fit(e["userId"], e["videoId"]) < MISMATCHED for e in all_views)
    for viral in virals:
        seen = [e for e in all_views if e["videoId"] == viral["videoId"]]
        daily = Counter(world.day(e["at"]) for e in seen)
        start = viral["fromDay"]
        assert daily[start + 3] + daily[start + 4] > 2 * (daily[start] + daily[start + 1])
        assert daily[start] < daily[start + 2] < daily[start + 4]
        assert daily.most_common(1)[0][0] >= start + 3
        outsiders = sum(world.fit(e["userId"], e["videoId"]) < MISMATCHED for e in seen)
        assert outsiders / len(seen) > 1.5 * everyone / len(all_views)


def test_inauthentic_accounts_never_watch_or_engage(world: Observed) -> None:
    bots = set(world.truth["bots"])
    by_bots = Counter(e["type"] for e in world.events if e["userId"] in bots)
    assert set(by_bots) == {"follow"}
    assert not any(f["userId"] in bots for f in world.follows)


def test_bot_rings_follow_each_other_densely_and_their_targets(world: Observed) -> None:
    follows = {(e["userId"], e["creatorId"]) for e in world.of("follow")}
    for ring in world.truth["botRings"]:
        members = ring["members"]
        inside = sum((a, b) in follows for a in members for b in members if a != b)
        assert inside / (len(members) * (len(members) - 1)) > 0.5
        assert all((m, t) in follows for m in members for t in ring["targets"])
        assert all(world.users[m]["createdAt"] > SPEC.start_ms - 6 * DAY_MS for m in members)


def test_bought_followers_arrive_in_a_spike(world: Observed) -> None:
    for purchase in world.truth["boughtFollowers"]:
        bought = set(purchase["followers"])
        times = [
            e["at"]
            for e in world.of("follow")
            if e["creatorId"] == purchase["creatorId"] and e["userId"] in bought
        ]
        assert len(times) == len(bought) > 0
        assert max(times) - min(times) <= 2 * HOUR_MS
        assert world.day(min(times)) == purchase["day"]
        # The spike dwarfs the creator's organic follows on any single day.
        organic = Counter(
            world.day(e["at"])
            for e in world.of("follow")
            if e["creatorId"] == purchase["creatorId"] and e["userId"] not in bought
        )
        assert len(times) > 3 * max(organic.values(), default=0)


def test_durations_are_short_video_lengths(world: Observed) -> None:
    seconds = [v["durationMs"] / 1000 for v in world.videos.values()]
    assert all(5 <= s <= 180 for s in seconds)
    assert sum(10 <= s <= 60 for s in seconds) / len(seconds) > 0.7


def test_interests_concentrate_on_a_few_topics(world: Observed) -> None:
    for shares in world.truth["userInterests"].values():
        assert sum(sorted(shares)[-3:]) >= 0.8


def test_five_thousand_users_and_videos_give_over_200k_interactions() -> None:
    world = generate_world(WorldSpec(users=5000, videos=5000, seed=1))
    assert world.counts()["interactions"] >= 200_000
