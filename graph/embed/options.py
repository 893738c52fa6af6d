"""Knobs of an embedding run: walks, skip-gram, edge weights, batching.

Defaults are sized for the 2-core machine the project runs on; the CLI exposes
the ones people tune (``p``, ``q``, walk length, walks per node, dimensions,
window, epochs, seed, workers).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graph.errors import ClientError

#: Dimension of the vectors written to Neo4j when nobody asks for another one.
DEFAULT_DIMENSIONS = 64


@dataclass(frozen=True)
class EdgeWeights:
    """How strongly each signal ties two walk nodes together.

    A user-video edge sums its positive signals: the view counts in proportion to
    completion (capped at one full watch), rewatches add a little each (capped),
    likes, shares and comments add fixed amounts. Skips and "not interested" add
    nothing: a skipped view loses its view part, and "not interested" in a video
    removes the pair altogether, so negative feedback never pulls things together.
    """

    view: float = 1.0
    #: Views watched less than this fraction are noise, not engagement.
    min_completion: float = 0.1
    rewatch: float = 0.5
    max_rewatches: int = 3
    like: float = 2.0
    share: float = 3.0
    comment: float = 2.0
    follow: float = 2.0
    posted: float = 2.0
    tagged: float = 1.0
    uses_sound: float = 1.0
    #: Ties a creator's walk node to the same person's user node.
    same_person: float = 0.5


@dataclass(frozen=True)
class EmbedOptions:
    """Everything that determines the vectors (and is stored with the run)."""

    dimensions: int = DEFAULT_DIMENSIONS
    #: node2vec return parameter: below 1 walks tend to step back.
    p: float = 1.0
    #: node2vec in-out parameter: below 1 walks move outward (community / homophily).
    q: float = 0.5
    walk_length: int = 40
    walks_per_node: int = 10
    window: int = 5
    epochs: int = 1
    negative: int = 5
    alpha: float = 0.025
    min_alpha: float = 0.0001
    #: Down-sampling of very frequent walk nodes (word2vec's ``sample``).
    sample: float = 1e-3
    seed: int = 42
    #: Threads for walks and training. With one worker the vectors are bit-for-bit
    #: reproducible for a seed; with more, training is lock-free (hogwild) and
    #: only statistically reproducible.
    workers: int = 1
    weights: EdgeWeights = field(default_factory=EdgeWeights)

    def validate(self) -> EmbedOptions:
        problems = [
            message
            for ok, message in (
                (2 <= self.dimensions <= 4096, "dimensions must be between 2 and 4096"),
                (self.p > 0 and self.q > 0, "p and q must be positive"),
                (self.walk_length >= 2, "walk length must be at least 2"),
                (self.walks_per_node >= 1, "walks per node must be at least 1"),
                (self.window >= 1, "window must be at least 1"),
                (self.epochs >= 1, "epochs must be at least 1"),
                (self.negative >= 1, "negative samples must be at least 1"),
                (0 < self.min_alpha <= self.alpha, "need 0 < min_alpha <= alpha"),
                (self.sample >= 0, "sample must be >= 0"),
                (self.workers >= 1, "workers must be at least 1"),
                (self.seed >= 0, "seed must be >= 0"),
            )
            if not ok
        ]
        if problems:
            raise ClientError("invalid embedding options: " + "; ".join(problems))
        return self


@dataclass(frozen=True)
class BatchOptions:
    """Rows per round trip to Neo4j (export pages and write-back batches)."""

    export_users: int = 2_000
    export_videos: int = 5_000
    write: int = 2_000
    #: Per-transaction timeout of the batch job's queries: generous, since the
    #: configured default is sized for feed requests, not for pages of a full export.
    timeout_s: float = 600.0

    def validate(self) -> BatchOptions:
        if min(self.export_users, self.export_videos, self.write) < 1:
            raise ClientError("batch sizes must be at least 1")
        if self.timeout_s <= 0:
            raise ClientError("the batch timeout must be positive")
        return self
