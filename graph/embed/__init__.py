"""Random-walk (node2vec) embeddings of the feed graph, served by Neo4j vector indexes.

``fyp embed`` exports the weighted heterogeneous graph, walks it, trains
skip-gram vectors and writes them back (:mod:`graph.embed.pipeline`); fold-in
gives newcomers a vector without retraining (:mod:`graph.embed.foldin`); the
similarity functions query the indexes (:mod:`graph.embed.similar`).
"""

from graph.embed.foldin import (
    fold_in_missing,
    fold_in_user,
    fold_in_user_async,
    fold_in_video,
    fold_in_video_async,
)
from graph.embed.options import BatchOptions, EdgeWeights, EmbedOptions
from graph.embed.pipeline import EmbedReport, embed_walk_graph, run_embedding
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
