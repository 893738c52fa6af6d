"""Every analytics query on a small planted graph, against hand-computed answers.

The world: creators ca (Alice), cb (Bob) and cc (Carol, new: first post two days
before the end), six viewers, five videos, 21 events over a week ending on
2024-03-10 12:00 UTC (the latest event, so the default $asOf). Comments next to the
events give what each one contributes; expectations are worked out from them by hand.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from graph.analytics import Catalogue, ReadOnlyRunner
from graph.cypher import QueryLibrary
from graph.db import Graph
from graph.ingest import import_records
from graph.schema import wipe

D0 = datetime(2024, 3, 10, tzinfo=UTC)


def at(day: int, hour: int = 0, minute: int = 0, second: int = 0) -> int:
    moment = D0 + timedelta(days=day, hours=hour, minutes=minute, seconds=second)
    return int(moment.timestamp() * 1000)


def video(vid: str, creator: str, created: int, seconds: int, tags: list[str], sound: str,
          title: str, caption: str) -> dict[str, Any]:  # fmt: skip
    return {
        "id": vid, "creatorId": creator, "createdAt": created, "durationMs": seconds * 1000,
        "caption": caption, "hashtags": tags, "soundId": sound, "soundTitle": title,
    }  # fmt: skip


def planted_records() -> dict[str, list[dict[str, Any]]]:
    users = [{"id": f"u{i}", "name": f"user{i}", "createdAt": at(-60)} for i in range(1, 7)]
    creators = [
        {"id": "ca", "name": "Alice", "createdAt": at(-90)},
        {"id": "cb", "name": "Bob", "createdAt": at(-90)},
        {"id": "cc", "name": "Carol", "createdAt": at(-10)},
    ]
    # Hashtag.videos: dance 2, fun 2, cooking 2, travel 1, so the dominant hashtag
    # (the topic) is dance for va1 (tie with fun, by name), cooking for vb2.
    videos = [
        video("va1", "ca", at(-20), 10, ["dance", "fun"], "s1", "Beat", "first dance"),
        video("va2", "ca", at(-5, 8), 20, ["dance"], "s1", "Beat", "dance again"),
        video("vb1", "cb", at(-20), 45, ["cooking"], "s2", "Chill", "pasta"),
        video("vb2", "cb", at(-1, 8), 90, ["cooking", "fun"], "s1", "Beat", "pizza party"),
        video("vc1", "cc", at(-2, 8), 240, ["travel"], "s3", "Wave", "alps trip"),
    ]
    follows = [
        {"userId": "u1", "creatorId": "ca", "at": at(-30)},
        {"userId": "u2", "creatorId": "ca", "at": at(-30)},
        {"userId": "u3", "creatorId": "cb", "at": at(-30)},
    ]
    events: list[dict[str, Any]] = []

    def event(kind: str, user: str, when: int, **fields: Any) -> None:
        events.append({"eventId": f"e{len(events) + 1}", "type": kind, "userId": user,
                       "at": when, **fields})  # fmt: skip

    event("view", "u1", at(-6, 9), videoId="va1", watchMs=10_000)  # complete
    event("view", "u2", at(-6, 10), videoId="va1", watchMs=5_000)  # 0.5
    event("view", "u1", at(-5, 9), videoId="vb1", watchMs=45_000)  # complete
    event("view", "u3", at(-1, 9), videoId="vb1", watchMs=9_000)  # 0.2
    event("view", "u4", at(-1, 11), videoId="va2", watchMs=20_000)  # complete
    event("like", "u4", at(-1, 11, 1), videoId="va2")
    event("follow", "u3", at(-1, 13), creatorId="ca")
    event("impression", "u5", at(0, 8), videoId="vc1")
    event("view", "u5", at(0, 8, 1), videoId="vc1", watchMs=240_000)  # complete
    event("like", "u5", at(0, 8, 6), videoId="vc1")
    event("share", "u5", at(0, 8, 7), videoId="vc1")
    event("follow", "u5", at(0, 8, 8), creatorId="cc", videoId="vc1")
    event("impression", "u6", at(0, 9), videoId="vc1")
    event("skip", "u6", at(0, 9, 0, 2), videoId="vc1")
    event("unfollow", "u3", at(0, 9, 30), creatorId="cb")
    event("impression", "u1", at(0, 10), videoId="va2")
    event("view", "u1", at(0, 10, 1), videoId="va2", watchMs=19_000)  # 0.95: complete
    event("comment", "u1", at(0, 10, 2), videoId="va2")
    event("view", "u2", at(0, 11), videoId="vb2", watchMs=45_000)  # 0.5
    event("not_interested", "u6", at(0, 11, 30), hashtag="travel")
    event("view", "u6", at(0, 12), videoId="va1", watchMs=10_000)  # complete; the latest event
    return {"users": users, "creators": creators, "videos": videos, "follows": follows,
            "interactions": events}  # fmt: skip


@pytest.fixture(scope="module")
def runner(session_graph: Graph) -> Iterator[ReadOnlyRunner]:
    wipe(session_graph)
    report = import_records(session_graph, planted_records())
    assert not report.rejections, report.rejections
    yield ReadOnlyRunner(session_graph)
    wipe(session_graph)


def rows(runner: ReadOnlyRunner, name: str, **params: Any) -> list[dict[str, Any]]:
    result = runner.run(name, params)
    assert not result.truncated
    assert tuple(result.columns) == runner.catalogue[name].columns
    return result.records()


def pick(found: list[dict[str, Any]], *columns: str) -> list[tuple[Any, ...]]:
    return [tuple(row[column] for column in columns) for row in found]


def test_daily_active_viewers(runner: ReadOnlyRunner) -> None:
    found = rows(runner, "daily_active_viewers", days=8)
    assert pick(found, "day", "viewers", "views") == [
        ("2024-03-03", 0, 0),
        ("2024-03-04", 2, 2),  # u1, u2
        ("2024-03-05", 1, 1),  # u1
        ("2024-03-06", 0, 0),
        ("2024-03-07", 0, 0),
        ("2024-03-08", 0, 0),
        ("2024-03-09", 2, 2),  # u3, u4
        ("2024-03-10", 4, 4),  # u5, u1, u2, u6
    ]


def test_daily_active_viewers_as_of_an_earlier_day(runner: ReadOnlyRunner) -> None:
    found = rows(runner, "daily_active_viewers", days=2, asOf="2024-03-05T23:00:00Z")
    assert pick(found, "day", "viewers") == [("2024-03-04", 2), ("2024-03-05", 1)]


def test_weekly_active_viewers(runner: ReadOnlyRunner) -> None:
    # 2024-03-10 is a Sunday: the whole week of events is the ISO week of 2024-03-04.
    found = rows(runner, "weekly_active_viewers", weeks=2)
    assert pick(found, "week", "viewers", "views") == [
        ("2024-02-26", 0, 0),
        ("2024-03-04", 6, 9),
    ]
    # As of Sunday 03-03 nothing had happened yet in that week.
    earlier = rows(runner, "weekly_active_viewers", weeks=1, asOf=at(-7, 23))
    assert pick(earlier, "week", "viewers") == [("2024-02-26", 0)]


def test_engagement_funnel(runner: ReadOnlyRunner) -> None:
    # The last 24 h: (03-09 12:00, 03-10 12:00].
    found = rows(runner, "engagement_funnel", days=1)
    assert pick(found, "step", "stage", "events", "users") == [
        (1, "impression", 3, 3),
        (2, "view", 4, 4),
        (3, "complete", 3, 3),
        (4, "like", 1, 1),
        (5, "share", 1, 1),
        (6, "comment", 1, 1),
        (7, "follow", 2, 2),
    ]
    conversions = [r["conversion"] for r in found]
    assert conversions == [None, pytest.approx(4 / 3), 0.75, 0.25, 0.25, 0.25, 0.5]


def test_completion_by_duration(runner: ReadOnlyRunner) -> None:
    found = rows(runner, "completion_by_duration")
    assert pick(found, "bucket", "videos", "views") == [
        ("<15s", 1, 3), ("15-30s", 1, 2), ("30-60s", 1, 2), ("1-3min", 1, 1), ("3min+", 1, 1),
    ]  # fmt: skip
    by_bucket = {r["bucket"]: r for r in found}
    assert by_bucket["<15s"]["avgCompletion"] == pytest.approx((1 + 0.5 + 1) / 3)
    assert by_bucket["<15s"]["completeRate"] == pytest.approx(2 / 3)
    assert by_bucket["15-30s"]["avgCompletion"] == pytest.approx(0.975)
    assert by_bucket["30-60s"]["completeRate"] == 0.5


def test_trending_hashtags(runner: ReadOnlyRunner) -> None:
    # Current 24 h: views of vc1 (travel), va2 (dance), vb2 (cooking, fun), va1 (dance,
    # fun). The 24 h before: vb1 (cooking), va2 (dance).
    found = rows(runner, "trending_hashtags", minViews=1)
    assert pick(found, "hashtag", "views", "previousViews", "velocity") == [
        ("fun", 2, 0, 2.0),
        ("dance", 2, 1, 1.0),
        ("travel", 1, 0, 1.0),
        ("cooking", 1, 1, 0.0),
    ]
    assert [r["hashtag"] for r in rows(runner, "trending_hashtags", minViews=2)] == [
        "fun", "dance",
    ]  # fmt: skip


def test_trending_sounds(runner: ReadOnlyRunner) -> None:
    found = rows(runner, "trending_sounds", minViews=1)
    assert pick(found, "soundId", "title", "views", "previousViews") == [
        ("s1", "Beat", 3, 1),
        ("s3", "Wave", 1, 0),
    ]
    assert [r["velocity"] for r in found] == [2.0, 1.0]


def test_sound_adoption(runner: ReadOnlyRunner) -> None:
    found = rows(runner, "sound_adoption", days=7)
    columns = ("soundId", "day", "newVideos", "totalVideos", "newCreators", "totalCreators")
    curve = pick(found, *columns)
    assert curve == [
        ("s1", "2024-03-04", 0, 1, 0, 1),  # va1 (ca) was posted long before
        ("s1", "2024-03-05", 1, 2, 0, 1),  # va2, ca again
        ("s1", "2024-03-06", 0, 2, 0, 1),
        ("s1", "2024-03-07", 0, 2, 0, 1),
        ("s1", "2024-03-08", 0, 2, 0, 1),
        ("s1", "2024-03-09", 1, 3, 1, 2),  # vb2: cb adopts it
        ("s1", "2024-03-10", 0, 3, 0, 2),
        ("s3", "2024-03-08", 1, 1, 1, 1),  # starts at its first use
        ("s3", "2024-03-09", 0, 1, 0, 1),
        ("s3", "2024-03-10", 0, 1, 0, 1),
    ]
    one = rows(runner, "sound_adoption", soundId="s2", days=2)
    assert pick(one, "day", "totalVideos") == [("2024-03-09", 1), ("2024-03-10", 1)]


def test_creator_leaderboard(runner: ReadOnlyRunner) -> None:
    found = rows(runner, "creator_leaderboard", minViews=1)
    assert pick(found, "rank", "creatorId", "followers", "videos", "views") == [
        (1, "cc", 1, 1, 1),  # 1 like + 1 share on 1 view
        (2, "ca", 3, 2, 5),  # 1 like + 1 comment on 5 views, 4 completes
        (3, "cb", 0, 2, 3),  # nothing on 3 views, 1 complete
    ]
    assert [r["engagementRate"] for r in found] == [2.0, 0.4, 0.0]
    assert [r["completionRate"] for r in found] == [1.0, 0.8, pytest.approx(1 / 3)]
    assert [r["creatorId"] for r in rows(runner, "creator_leaderboard", minViews=4)] == ["ca"]


def test_new_creator_exposure(runner: ReadOnlyRunner) -> None:
    (carol,) = rows(runner, "new_creator_exposure")
    assert carol == {
        "creatorId": "cc", "name": "Carol", "firstPostAt": "2024-03-08T08:00:00Z", "videos": 1,
        "impressions": 2, "views": 1, "viewers": 1, "shareOfViews": pytest.approx(1 / 9),
    }  # fmt: skip
    assert rows(runner, "new_creator_exposure", days=1) == []


def test_cohort_retention(runner: ReadOnlyRunner) -> None:
    found = rows(runner, "cohort_retention", periodDays=1, periods=7)
    table = pick(found, "cohort", "users", "period", "active")
    assert table == [
        ("2024-03-04", 2, 0, 2),  # u1, u2
        ("2024-03-04", 2, 1, 1),  # u1 again on 03-05
        ("2024-03-04", 2, 2, 0),
        ("2024-03-04", 2, 3, 0),
        ("2024-03-04", 2, 4, 0),
        ("2024-03-04", 2, 5, 0),
        ("2024-03-04", 2, 6, 2),  # both back on 03-10
        ("2024-03-09", 2, 0, 2),  # u3, u4
        ("2024-03-09", 2, 1, 0),
        ("2024-03-10", 2, 0, 2),  # u5, u6
    ]
    assert found[1]["retention"] == 0.5


def test_filter_bubble(runner: ReadOnlyRunner) -> None:
    found = rows(runner, "filter_bubble", minVideos=2)
    assert pick(found, "userId", "videos", "topics", "topTopic") == [
        ("u1", 3, 2, "dance"),  # va1, va2 (dance), vb1 (cooking)
        ("u2", 2, 2, "cooking"),  # va1 (dance), vb2 (cooking); tie by name
        ("u6", 2, 2, "dance"),  # vc1 (served, skipped: travel), va1 (dance)
    ]
    assert found[0]["topTopicShare"] == pytest.approx(2 / 3)
    assert found[0]["entropy"] == pytest.approx(0.918295834)  # H(2/3, 1/3) in bits
    assert found[1]["entropy"] == pytest.approx(1.0)


def test_filter_bubble_summary(runner: ReadOnlyRunner) -> None:
    found = rows(runner, "filter_bubble_summary", minVideos=1)
    assert pick(found, "topics", "users", "shareOfUsers") == [
        (1, 3, 0.5),  # u3, u4, u5
        (2, 3, 0.5),  # u1, u2, u6
    ]
    assert found[1]["avgVideos"] == pytest.approx(7 / 3)


def test_hashtag_co_engagement(runner: ReadOnlyRunner) -> None:
    # Engaged (complete or like): dance {u1, u4, u6}, fun {u1, u6}, cooking {u1}, travel {u5}.
    found = rows(runner, "hashtag_co_engagement", a="dance")
    assert pick(found, "hashtagB", "usersA", "usersB", "both") == [
        ("fun", 3, 2, 2),
        ("cooking", 3, 1, 1),
    ]
    assert found[0]["jaccard"] == pytest.approx(2 / 3)
    assert found[1]["confidence"] == pytest.approx(1 / 3)
    (pair,) = rows(runner, "hashtag_co_engagement", a="Dance", b="travel")
    assert (pair["hashtagA"], pair["both"], pair["jaccard"]) == ("dance", 0, 0.0)


def test_most_skipped_videos(runner: ReadOnlyRunner) -> None:
    found = rows(runner, "most_skipped_videos", minExposures=2)
    assert pick(found, "videoId", "exposures", "skips", "skipRate") == [
        ("vc1", 2, 1, 0.5),
        ("va1", 3, 0, 0.0),
        ("va2", 2, 0, 0.0),
        ("vb1", 2, 0, 0.0),
    ]
    assert found[0]["durationSeconds"] == 240.0


def test_viral_cascades(runner: ReadOnlyRunner) -> None:
    # va1 has the most viewers this week: u1, u2 (followers of ca) on day 0, u6 on day 6.
    found = rows(runner, "viral_cascades", videos=1)
    assert pick(found, "videoId", "bucket", "newViewers", "totalViewers") == [
        ("va1", 0, 2, 2), ("va1", 1, 0, 2), ("va1", 2, 0, 2), ("va1", 3, 0, 2),
        ("va1", 4, 0, 2), ("va1", 5, 0, 2), ("va1", 6, 1, 3),
    ]  # fmt: skip
    assert found[0]["bucketStart"] == "2024-03-04T09:00:00Z"
    assert [r["nonFollowerShare"] for r in found][::6] == [0.0, pytest.approx(1 / 3)]
    (carol,) = rows(runner, "viral_cascades", videoId="vc1", bucketHours=1)
    assert (carol["newViewers"], carol["nonFollowerShare"], carol["newSharers"]) == (1, 1.0, 1)


def test_follower_growth(runner: ReadOnlyRunner) -> None:
    found = rows(runner, "follower_growth")
    assert pick(
        found, "creatorId", "followers", "newFollowers", "unfollows", "net", "growthRate"
    ) == [
        ("ca", 3, 1, 0, 1, 0.5),
        ("cc", 1, 1, 0, 1, None),  # no followers before: no rate
        ("cb", 0, 0, 1, -1, -1.0),
    ]


def test_watch_time_by_hour(runner: ReadOnlyRunner) -> None:
    found = rows(runner, "watch_time_by_hour")
    assert pick(found, "hour", "views", "viewers") == [
        (8, 1, 1), (9, 3, 2), (10, 2, 2), (11, 2, 2), (12, 1, 1),
    ]  # fmt: skip
    nine = found[1]  # u1 45 s + u3 9 s (03-09) + u1 10 s (03-04)
    assert nine["avgWatchSeconds"] == pytest.approx((10 + 45 + 9) / 3)
    assert nine["completeRate"] == pytest.approx(2 / 3)


def test_not_interested_targets(runner: ReadOnlyRunner) -> None:
    assert rows(runner, "not_interested_targets") == [
        {"kind": "hashtag", "target": "travel", "signals": 1, "users": 1}
    ]


def test_every_query_has_a_test_here() -> None:
    tested = {name.removeprefix("test_") for name in globals() if name.startswith("test_")}
    assert set(Catalogue.from_library(QueryLibrary.default())) - tested == set()
