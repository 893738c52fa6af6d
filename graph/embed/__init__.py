"""Random-walk (node2vec) embeddings of the feed graph, served by Neo4j vector indexes.

``fyp embed`` exports the weighted heterogeneous graph, walks it, trains
skip-gram vectors and writes them back (:mod:`graph.embed.pipeline`); fold-in
gives newcomers a vector without retraining (:mod:`graph.embed.foldin`); the
similarity functions query the indexes (:mod:`graph.embed.similar`).

Names load on first use: the feed and the API come here for fold-in and
similarity and should not pay for the training stack (numba), while the
in-memory core (:mod:`graph.embed.core`) should not pay for the database driver.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from graph.embed.core import embed_walk_graph
    from graph.embed.foldin import (
        fold_in_missing,
        fold_in_new_videos,
        fold_in_user,
        fold_in_user_async,
        fold_in_video,
        fold_in_video_async,
    )
    from graph.embed.options import BatchOptions, EdgeWeights, EmbedOptions
    from graph.embed.pipeline import EmbedReport, run_embedding
    from graph.embed.runs import EmbeddingRun, latest_run, latest_run_async
    from graph.embed.similar import (
        Neighbour,
        nearest_videos_for_user,
        nearest_videos_for_user_async,
        similar_creators,
        similar_creators_async,
        similar_videos,
        similar_videos_async,
    )
    from graph.embed.store import CREATOR_INDEX, USER_INDEX, VIDEO_INDEX

_WHERE = {
    "embed_walk_graph": "core",
    "fold_in_missing": "foldin",
    "fold_in_new_videos": "foldin",
    "fold_in_user": "foldin",
    "fold_in_user_async": "foldin",
    "fold_in_video": "foldin",
    "fold_in_video_async": "foldin",
    "BatchOptions": "options",
    "EdgeWeights": "options",
    "EmbedOptions": "options",
    "EmbedReport": "pipeline",
    "run_embedding": "pipeline",
    "EmbeddingRun": "runs",
    "latest_run": "runs",
    "latest_run_async": "runs",
    "Neighbour": "similar",
    "nearest_videos_for_user": "similar",
    "nearest_videos_for_user_async": "similar",
    "similar_creators": "similar",
    "similar_creators_async": "similar",
    "similar_videos": "similar",
    "similar_videos_async": "similar",
    "CREATOR_INDEX": "store",
    "USER_INDEX": "store",
    "VIDEO_INDEX": "store",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'graph.embed' has no attribute {name!r}")
    return getattr(import_module(f"graph.embed.{module}"), name)


__all__ = [
    "CREATOR_INDEX",
    "USER_INDEX",
    "VIDEO_INDEX",
    "BatchOptions",
    "EdgeWeights",
    "EmbedOptions",
    "EmbedReport",
    "EmbeddingRun",
    "Neighbour",
    "embed_walk_graph",
    "fold_in_missing",
    "fold_in_new_videos",
    "fold_in_user",
    "fold_in_user_async",
    "fold_in_video",
    "fold_in_video_async",
    "latest_run",
    "latest_run_async",
    "nearest_videos_for_user",
    "nearest_videos_for_user_async",
    "run_embedding",
    "similar_creators",
    "similar_creators_async",
    "similar_videos",
    "similar_videos_async",
]
