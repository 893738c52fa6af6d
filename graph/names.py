"""How names are written in the graph: one normaliser per kind of name (docs/model.md)."""

from __future__ import annotations


def normalise_hashtag(text: str) -> str:
    """Hashtags are stored trimmed, lower case, without the leading ``#``."""
    return text.strip().lstrip("#").strip().lower()
