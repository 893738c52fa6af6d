"""Node kinds of the walk graph and the keys that keep their id spaces apart.

A walk node's key is ``"<kind>:<id>"`` (``"user:u1"``, ``"video:v3"``,
``"hashtag:cats"``). Ids from different labels may collide (a hashtag and a sound
can both be called ``"rain"``), so the kind prefix is part of the key.

Creators get their own walk node (``"creator:a45"``), separate from the same
person's ``"user:a45"``: a creator's neighbourhood is what they post and who
follows them (their niche), a user's is what they watch. Mixing both in one
vector would blur "similar creators" with the creator's own viewing taste. The two
nodes are tied by a light ``same person`` edge so a creator with few posts still
lands near their own interests. The creator vector lives on the same Neo4j node as
the user vector, under another property (see :data:`STORAGE`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class NodeKind(StrEnum):
    USER = "user"
    CREATOR = "creator"
    VIDEO = "video"
    HASHTAG = "hashtag"
    SOUND = "sound"


@dataclass(frozen=True)
class Storage:
    """Where a kind's vector lives in Neo4j: the label, key and vector property."""

    label: str
    key: str
    property: str


#: The Cypher write-back files hard-code these; this table documents them and
#: lets tests check every kind is covered.
STORAGE: dict[NodeKind, Storage] = {
    NodeKind.USER: Storage("User", "id", "embedding"),
    NodeKind.CREATOR: Storage("Creator", "id", "creatorEmbedding"),
    NodeKind.VIDEO: Storage("Video", "id", "embedding"),
    NodeKind.HASHTAG: Storage("Hashtag", "name", "embedding"),
    NodeKind.SOUND: Storage("Sound", "id", "embedding"),
}

SEPARATOR = ":"


def node_key(kind: NodeKind, node_id: str) -> str:
    return f"{kind.value}{SEPARATOR}{node_id}"


def split_key(key: str) -> tuple[NodeKind, str]:
    """``"video:v3"`` -> ``(NodeKind.VIDEO, "v3")``; ids may themselves contain ``:``."""
    kind, _, node_id = key.partition(SEPARATOR)
    return NodeKind(kind), node_id
