"""Why an item is in the feed: one sentence per source, each naming a real graph path.

Every sentence is built from data the source query or the profile read from the graph
in this request (the seed video the viewer finished, the followed creator who posted,
the counts of completes under a hashtag), never from a template alone.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from graph.feed.candidate import Candidate, SourceHit
from graph.feed.model import Explanation
from graph.feed.profile import Tally, UserProfile

MINUTE_MS = 60_000
HOUR_MS = 60 * MINUTE_MS
DAY_MS = 24 * HOUR_MS
#: Contributions smaller than this are left out of the explanation's weights.
NEGLIGIBLE = 5e-4


def age(ms: int) -> str:
    """A duration in the largest unit that fits: 5 min, 3 h, 2 days."""
    ms = max(0, ms)
    if ms < HOUR_MS:
        return f"{max(1, ms // MINUTE_MS)} min"
    if ms < 2 * DAY_MS:
        return f"{ms // HOUR_MS} h"
    return f"{ms // DAY_MS} days"


def handle(user_id: str | None, name: str | None) -> str:
    return f"@{name or user_id or 'someone'}"


def quoted(caption: str | None, video_id: str) -> str:
    text = (caption or "").strip() or video_id
    return f"“{text[:40]}…”" if len(text) > 40 else f"“{text}”"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def activity(tally: Tally) -> str:
    """What the viewer did with a hashtag or sound: 'completed 3 videos and liked 1'."""
    done = [(verb, n) for verb, n in (
        ("completed", tally.completes), ("liked", tally.likes), ("shared", tally.shares),
    ) if n]  # fmt: skip
    if not done and tally.views:
        done = [("watched", tally.views)]
    if not done:
        return ""
    (verb, n), *rest = done
    words = [f"{verb} {_plural(n, 'video')}", *(f"{verb} {n}" for verb, n in rest)]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _following(hit: SourceHit, candidate: Candidate, profile: UserProfile) -> str:
    reason = hit.reason
    return (
        f"{handle(reason.get('creatorId'), reason.get('creatorName'))}, whom you follow, "
        f"posted this {age(candidate.age_ms)} ago"
    )


def _co_engagement(hit: SourceHit, candidate: Candidate, profile: UserProfile) -> str:
    seeds = hit.reason.get("seeds") or []
    titles = [quoted(seed.get("caption"), seed["id"]) for seed in seeds[:2]]
    watched = " and ".join(titles) or "videos you watched"
    peers = int(hit.reason.get("peers") or 0)
    return f"{_plural(peers, 'viewer')} who watched {watched} also watched this"


def _personal(hit: SourceHit, candidate: Candidate, profile: UserProfile) -> str:
    rank = int(hit.reason.get("rank") or 0)
    where = f"#{rank} of the videos" if rank else "among the videos"
    return f"{where} picked for you from everything you watched (refreshed in the background)"


def _hashtag(hit: SourceHit, candidate: Candidate, profile: UserProfile) -> str:
    sentences = []
    for tag in (hit.reason.get("hashtags") or [])[:2]:
        tally = profile.hashtags.get(tag)
        did = activity(tally) if tally else ""
        if did and tally is not None and tally.chosen:
            sentences.append(f"you {did} with #{tag} and picked it as an interest")
        elif did:
            sentences.append(f"you {did} with #{tag}")
        else:
            sentences.append(f"you picked #{tag} as an interest")
    return "; ".join(sentences)


def _sound(hit: SourceHit, candidate: Candidate, profile: UserProfile) -> str:
    sound_id = hit.reason.get("soundId")
    title = quoted(hit.reason.get("soundTitle"), str(sound_id))
    tally = profile.sounds.get(str(sound_id))
    did = activity(tally) if tally else "engaged with videos"
    return f"you {did} using the sound {title}"


def _embedding(hit: SourceHit, candidate: Candidate, profile: UserProfile) -> str:
    similarity = float(hit.reason.get("similarity") or hit.score)
    return (
        "close to what you watch in the graph's random-walk embedding "
        f"(similarity {similarity:.2f})"
    )


def _trending(hit: SourceHit, candidate: Candidate, profile: UserProfile) -> str:
    reason = hit.reason
    window = f"the last {age(int(float(reason.get('hours') or 0) * HOUR_MS))}"
    lift = reason.get("lift")
    events = reason.get("events")
    if reason.get("kind") == "hashtag":
        return (
            f"#{reason.get('name')} is trending: {events} events in {window}, "
            f"{lift}x its usual share"
        )
    if reason.get("kind") == "sound":
        title = quoted(reason.get("title"), str(reason.get("name")))
        return (
            f"the sound {title} is trending: {events} events in {window}, {lift}x its usual share"
        )
    return f"trending: {events} engagements in {window}, {lift}x its usual rate"


def _viral(hit: SourceHit, candidate: Candidate, profile: UserProfile) -> str:
    reason = hit.reason
    return (
        f"going viral: {float(reason.get('recentRate') or 0):.0%} of its last "
        f"{reason.get('impressions')} viewers engaged, against "
        f"{float(reason.get('beforeRate') or 0):.0%} before"
    )


#: A new video's embedding match (cosine) worth telling the viewer about.
CLOSE_MATCH = 0.5


def _fresh(hit: SourceHit, candidate: Candidate, profile: UserProfile) -> str:
    reason = hit.reason
    text = (
        f"new: posted {age(candidate.age_ms)} ago, only "
        f"{_plural(int(reason.get('impressions') or 0), 'impression')} so far"
    )
    if reason.get("newCreator"):
        creator = handle(reason.get("creatorId"), reason.get("creatorName"))
        text += f", from {creator}, a new creator"
    match = float(reason.get("match") or 0.0)
    if match >= CLOSE_MATCH:
        text += f"; close to what you watch (embedding match {match:.2f})"
    return text


def _popular(hit: SourceHit, candidate: Candidate, profile: UserProfile) -> str:
    viewers = int(hit.reason.get("viewers") or 0)
    days = float(hit.reason.get("days") or 0)
    return f"popular: {_plural(viewers, 'viewer')} watched it through in the last {days:g} days"


def _social(hit: SourceHit, candidate: Candidate, profile: UserProfile) -> str:
    likers = hit.reason.get("likers") or []
    names = [handle(liker.get("id"), liker.get("name")) for liker in likers[:2]]
    others = int(hit.reason.get("count") or len(likers)) - len(names)
    who = " and ".join(names) if others <= 0 else f"{', '.join(names)} and {others} more"
    return f"{who}, whom you follow, liked this"


def _long_tail(hit: SourceHit, candidate: Candidate, profile: UserProfile) -> str:
    views = int(hit.reason.get("views") or 0)
    likes = int(hit.reason.get("likes") or 0)
    return (
        "from further afield: you have seen what we picked for you, so the feed widens to "
        f"the rest of the catalogue (posted {age(candidate.age_ms)} ago, "
        f"{_plural(views, 'view')}, {_plural(likes, 'like')})"
    )


def _resurfaced(hit: SourceHit, candidate: Candidate, profile: UserProfile) -> str:
    ago_ms = hit.reason.get("agoMs")
    when = f" {age(int(ago_ms))} ago" if ago_ms is not None else ""
    return (
        f"seen before{when}: you have seen everything else we have for you, so the feed "
        "shows again what you saw longest ago"
    )


SENTENCES: Mapping[str, Callable[[SourceHit, Candidate, UserProfile], str]] = {
    "following": _following,
    "co_engagement": _co_engagement,
    "personal": _personal,
    "hashtag_affinity": _hashtag,
    "sound_affinity": _sound,
    "embedding": _embedding,
    "trending": _trending,
    "viral": _viral,
    "popular": _popular,
    "fresh": _fresh,
    "social": _social,
    "long_tail": _long_tail,
    "resurfaced": _resurfaced,
}

EXPLORATION = "exploration slot: outside what you usually watch, so your feed can discover more"


def explain(candidate: Candidate, profile: UserProfile, *, exploration: bool) -> Explanation:
    reasons = [
        SENTENCES[hit.source](hit, candidate, profile)
        for hit in candidate.hits.values()
        if hit.source in SENTENCES
    ]
    if exploration:
        reasons.append(EXPLORATION)
    weights: dict[str, Any] = {
        name: round(value, 4)
        for name, value in sorted(candidate.contributions.items(), key=lambda item: -abs(item[1]))
        if abs(value) >= NEGLIGIBLE
    }
    return Explanation(reasons=tuple(reason for reason in reasons if reason), weights=weights)
