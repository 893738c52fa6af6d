"""The checked-in SDL is the schema the code builds."""

from __future__ import annotations

from api.schema import SDL_PATH, sdl


def test_checked_in_sdl_matches_the_code() -> None:
    assert SDL_PATH.read_text(encoding="utf-8") == sdl(), (
        "api/schema.graphql is stale: run `python -m api.schema > api/schema.graphql` "
        "and review the diff (clients depend on it)."
    )
