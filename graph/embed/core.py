"""The in-memory core of an embedding run: walk graph in, one vector per node out.

No database here (and no database driver imported): ``fyp embed`` wraps this with
the Neo4j export and write-back, the benchmark runs it on an edge list.
"""

from __future__ import annotations

from graph.embed.kernels import Kernels
from graph.embed.options import EmbedOptions
from graph.embed.progress import TRAIN, WALKS, Progress, Stopwatch, silent
from graph.embed.skipgram import SkipGramOptions, Vectors, train_skipgram
from graph.embed.walkgraph import WalkGraph
from graph.embed.walks import Walker


def skipgram_options(options: EmbedOptions) -> SkipGramOptions:
    return SkipGramOptions(
        dimensions=options.dimensions,
        window=options.window,
        epochs=options.epochs,
        negative=options.negative,
        alpha=options.alpha,
        min_alpha=options.min_alpha,
        sample=options.sample,
        seed=options.seed,
        workers=options.workers,
    )


def embed_walk_graph(
    walk_graph: WalkGraph,
    options: EmbedOptions,
    progress: Progress = silent,
    stopwatch: Stopwatch | None = None,
    kernels: Kernels | None = None,
) -> Vectors:
    """Walks then skip-gram: row ``i`` is the vector of ``walk_graph.keys[i]``.

    The walks stream: the walks phase generates them once to count how often each
    node occurs, training generates them again block by block (the same walks, see
    :class:`Walker`), so no phase holds them all.
    """
    stopwatch = stopwatch or Stopwatch()
    walker = Walker(
        walk_graph,
        walk_length=options.walk_length,
        walks_per_node=options.walks_per_node,
        p=options.p,
        q=options.q,
        seed=options.seed,
        workers=options.workers,
        kernels=kernels,
    )
    with stopwatch.time(WALKS):
        counts = walker.count_visits(lambda done, total: progress(WALKS, done, total))
    with stopwatch.time(TRAIN):
        return train_skipgram(
            walker,
            skipgram_options(options),
            counts=counts,
            progress=lambda done, total: progress(TRAIN, done, total),
            kernels=kernels,
        )
