"""WorldSpec: bad sizes are client errors with a clear message; the digest is stable."""

from __future__ import annotations

import pytest

from graph.errors import ClientError
from graph.synth import WorldSpec
from graph.synth.vocabulary import GENERIC_HASHTAGS, TOPICS


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"users": 5}, "users must be at least"),
        ({"videos": 0}, "videos must be at least 1"),
        ({"seed": -1}, "seed must be >= 0"),
        ({"days": 0}, "days must be 1..365"),
        ({"topics": 21}, "topics must be 1..20"),
        ({"creator_share": 0.0}, "creator_share"),
        ({"exploration": 1.5}, "exploration"),
        ({"trends": -1}, "trends must be >= 0"),
        ({"bot_rings": 40}, "inauthentic accounts do not fit"),
    ],
)
def test_bad_specs_are_client_errors(changes: dict[str, int | float], message: str) -> None:
    arguments: dict[str, int | float] = {"users": 300, "videos": 300, **changes}
    with pytest.raises(ClientError, match=message):
        WorldSpec(**arguments)  # type: ignore[arg-type]


def test_inauthentic_accounts_scale_with_the_world_within_bounds() -> None:
    small, large = WorldSpec(users=300, videos=10), WorldSpec(users=100_000, videos=10)
    assert small.bot_ring_size == 5 and large.bot_ring_size == 25
    assert small.bought_followers_per_creator == 7 and large.bought_followers_per_creator == 400
    assert small.inauthentic_accounts == 2 * 5 + 2 * 7


def test_digest_depends_on_every_field_and_nothing_else() -> None:
    base = WorldSpec(users=300, videos=300, seed=1)
    assert base.digest == WorldSpec(users=300, videos=300, seed=1).digest
    assert base.digest != WorldSpec(users=300, videos=300, seed=2).digest
    assert base.digest != WorldSpec(users=300, videos=300, seed=1, days=7).digest


def test_every_word_belongs_to_exactly_one_topic() -> None:
    words = [word for topic_words in TOPICS.values() for word in topic_words]
    assert len(words) == len(set(words)), "a hashtag would stand for two topics"
    assert not set(words) & set(GENERIC_HASHTAGS)
    assert all(word == word.lower() and word.isalnum() for word in words)
