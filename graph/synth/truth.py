"""Ground truth of a world: what it was generated from, keyed by the records' ids.

Evaluation code (recommendation quality, trend detection, authenticity checks)
compares what it finds with this.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from graph.synth.spec import DAY_MS

if TYPE_CHECKING:
    from graph.synth.world import World

#: Interest shares are rounded in the truth file (they are noise below that).
DIGITS = 4


def build_truth(world: World) -> dict[str, Any]:
    spec, catalog, population = world.spec, world.catalog, world.population
    users, videos = world.user_ids, world.video_ids
    topics = catalog.topic_names
    used_sounds = sorted(set(catalog.sound.tolist()))
    return {
        "spec": spec.as_dict(),
        "topics": topics,
        "userInterests": {
            uid: [round(share, DIGITS) for share in row]
            for uid, row in zip(users, population.mixture.tolist(), strict=True)
        },
        "creators": {
            users[user]: {"topic": topics[topic], "reach": round(reach, DIGITS)}
            for user, topic, reach in zip(
                world.creators.users.tolist(),
                world.creators.topic.tolist(),
                world.creators.reach.tolist(),
                strict=True,
            )
        },
        "videoTopics": {
            vid: {"topic": topics[main], "secondary": topics[second] if second >= 0 else None}
            for vid, main, second in zip(
                videos, catalog.topic.tolist(), catalog.secondary.tolist(), strict=True
            )
        },
        "hashtagTopics": {
            tag: None if topic is None else topics[topic]
            for tag, topic in sorted(catalog.hashtag_topic.items())
        },
        "soundTopics": {f"s{s}": topics[catalog.sounds[s].topic] for s in used_sounds},
        "trends": [
            {
                "kind": trend.kind,
                "hashtag": trend.hashtag,
                "soundId": None if trend.sound is None else f"s{trend.sound}",
                "topic": topics[trend.topic],
                "peakDay": trend.peak_day,
                "peakAt": spec.start_ms + trend.peak_day * DAY_MS + DAY_MS // 2,
                "videos": sorted(
                    videos[v] for v in catalog.trend_video[catalog.trend_index == index].tolist()
                ),
            }
            for index, trend in enumerate(catalog.trends)
        ],
        "viralVideos": [
            {"videoId": videos[viral.video], "fromDay": viral.from_day} for viral in catalog.virals
        ],
        "bots": [users[account] for account in world.inauthentic.accounts],
        "botRings": [
            {
                "members": [users[m] for m in ring.members],
                "targets": [users[t] for t in ring.targets],
                "day": ring.day,
            }
            for ring in world.inauthentic.rings
        ],
        "boughtFollowers": [
            {
                "creatorId": users[purchase.creator],
                "followers": [users[f] for f in purchase.followers],
                "day": purchase.day,
            }
            for purchase in world.inauthentic.purchases
        ],
    }
