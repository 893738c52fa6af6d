"""Benchmark: fyp's embedding pipeline against the ``node2vec`` package, side by side.

What it does
------------
1. Builds a seeded synthetic feed graph with planted topic communities (users,
   videos, creators, hashtags, sounds; Zipf popularity inside a topic), hides 10 % of
   its edges and writes the other 90 % to a temporary file.
2. Runs each contender in its own child process on that file, with the same
   p, q, walks per node, walk length, dimensions, window, epochs, seed and one
   worker, and reads back wall time, CPU time (``os.wait4``) and peak memory (the
   child's own ``VmHWM``; its ``ru_maxrss`` would include this parent's resident set,
   see ``_own_peak_kib``). Contenders: ``fyp`` (this project's walks and
   skip-gram as ``fyp embed`` runs them: the kernels ``make install`` compiled ahead
   of time, or numba's JIT when they are not built; the child reports which),
   ``fyp-jit`` (the same kernels forced through numba's JIT, first with an empty
   cache so compilation is paid, then ``fyp-jit-warm``), ``node2vec`` (the reference
   package) and, with ``--variants``, PecanPy's SparseOTF / DenseOTF walks + gensim,
   and fyp's walks + gensim. ``fyp-floor`` and ``node2vec-floor`` run on one edge:
   the peak memory of each side's runtime alone (interpreter, numpy, and compiled
   kernels or numba + LLVM; networkx + gensim), which every peak includes.
3. Scores link prediction for each: AUC of cosine similarity on the held-out edges
   against as many random non-edges.
4. Unless ``--skip-large``: end-to-end ``run_embedding`` (export, walks, training,
   write-back, vector indexes) on a ~100k-node / ~1M-edge synthetic world loaded
   into a throwaway Neo4j with ``graph.ingest.import_records``.

The last line on stdout is one JSON object (see ``summary``); progress goes to stderr.

    .venv/bin/python bench/embed.py                # everything (the large graph takes a while)
    .venv/bin/python bench/embed.py --skip-large   # the side-by-side comparison only
    .venv/bin/python bench/embed.py --variants fyp,fyp-gensim,pecanpy-sparse --skip-large
    .venv/bin/python bench/embed.py --variants fyp,fyp-floor,node2vec-floor --skip-large
    .venv/bin/python bench/embed.py --large-only --large-home /tmp/embed-large  # reuse the load
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

log = logging.getLogger("bench.embed")

# ---------------------------------------------------------------------------------------
# The synthetic graph


@dataclass(frozen=True)
class GraphSpec:
    users: int = 10_500
    creators: int = 1_000
    videos_per_creator: int = 8
    topics: int = 20
    hashtags_per_topic: int = 25
    sounds_per_topic: int = 25
    engagements_per_user: int = 18
    follows_per_user: int = 3
    #: Share of a user's engagement (and follows) inside their home topic.
    in_topic: float = 0.8
    #: Popularity inside a topic: Zipf exponent over the topic's videos.
    zipf: float = 0.8
    seed: int = 7


@dataclass(frozen=True)
class Hyper:
    p: float = 1.0
    q: float = 0.5
    walks_per_node: int = 10
    walk_length: int = 40
    dimensions: int = 64
    window: int = 5
    epochs: int = 1
    seed: int = 1


def make_graph(spec: GraphSpec) -> tuple[list[str], npt.NDArray[np.int64], npt.NDArray[np.float32]]:
    """Node keys, edge endpoints (m x 2 indices into the keys) and edge weights."""
    rng = np.random.default_rng(spec.seed)
    t, videos = spec.topics, spec.creators * spec.videos_per_creator
    creator_topic = rng.integers(0, t, spec.creators)
    video_creator = np.repeat(np.arange(spec.creators), spec.videos_per_creator)
    video_topic = np.where(
        rng.random(videos) < 0.9, creator_topic[video_creator], rng.integers(0, t, videos)
    )
    keys = (
        [f"user:u{i}" for i in range(spec.users)]
        + [f"creator:c{i}" for i in range(spec.creators)]
        + [f"video:v{i}" for i in range(videos)]
        + [f"hashtag:h{i}" for i in range(t * spec.hashtags_per_topic)]
        + [f"sound:s{i}" for i in range(t * spec.sounds_per_topic)]
    )
    creator0, video0 = spec.users, spec.users + spec.creators
    hashtag0 = video0 + videos
    sound0 = hashtag0 + t * spec.hashtags_per_topic

    def in_or_out(topics: npt.NDArray[np.int64], share: float) -> npt.NDArray[np.int64]:
        stray = rng.random(topics.size) >= share
        return np.where(stray, rng.integers(0, t, topics.size), topics)

    parts: list[tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float64]]] = []
    vid = np.arange(videos)
    parts.append((creator0 + video_creator, video0 + vid, np.full(videos, 2.0)))
    tags = rng.integers(1, 4, videos)
    tag_video = np.repeat(vid, tags)
    tag_topic = in_or_out(video_topic[tag_video], 0.85)
    tag = tag_topic * spec.hashtags_per_topic + rng.integers(
        0, spec.hashtags_per_topic, tag_video.size
    )
    parts.append((video0 + tag_video, hashtag0 + tag, np.ones(tag_video.size)))
    sound_topic = in_or_out(video_topic, 0.8)
    sound = sound_topic * spec.sounds_per_topic + rng.integers(0, spec.sounds_per_topic, videos)
    parts.append((video0 + vid, sound0 + sound, np.ones(videos)))

    home = rng.integers(0, t, spec.users)
    n = spec.engagements_per_user
    eng_user = np.repeat(np.arange(spec.users), n)
    eng_topic = in_or_out(home[eng_user], spec.in_topic)
    eng_video = np.empty(eng_user.size, dtype=np.int64)
    for topic in range(t):
        pool = rng.permutation(np.flatnonzero(video_topic == topic))
        mask = eng_topic == topic
        if pool.size == 0 or not mask.any():
            continue
        ranks = np.arange(1, pool.size + 1, dtype=np.float64) ** -spec.zipf
        eng_video[mask] = rng.choice(pool, size=int(mask.sum()), p=ranks / ranks.sum())
    pairs = np.unique(np.stack([eng_user, eng_video], axis=1), axis=0)
    completion = rng.beta(2.0, 2.0, len(pairs)) * 1.2
    weight = (
        completion + 2.0 * (rng.random(len(pairs)) < 0.3) + 3.0 * (rng.random(len(pairs)) < 0.05)
    )
    parts.append((pairs[:, 0], video0 + pairs[:, 1], weight))

    fol_user = np.repeat(np.arange(spec.users), spec.follows_per_user)
    fol_topic = in_or_out(home[fol_user], spec.in_topic)
    by_topic = [np.flatnonzero(creator_topic == topic) for topic in range(t)]
    fol_creator = np.array(
        [
            rng.choice(by_topic[c]) if by_topic[c].size else rng.integers(spec.creators)
            for c in fol_topic
        ]
    )
    follows = np.unique(np.stack([fol_user, fol_creator], axis=1), axis=0)
    parts.append((follows[:, 0], creator0 + follows[:, 1], np.full(len(follows), 2.0)))

    src = np.concatenate([a for a, _, _ in parts])
    dst = np.concatenate([b for _, b, _ in parts])
    weights = np.concatenate([w for _, _, w in parts]).astype(np.float32)
    edges = np.stack([src, dst], axis=1).astype(np.int64)
    # Merge parallel edges (a video tagged twice with the same hashtag) so a held-out
    # edge never survives in the training half.
    lo, hi = edges.min(axis=1), edges.max(axis=1)
    canonical, inverse = np.unique(np.stack([lo, hi], axis=1), axis=0, return_inverse=True)
    merged = np.zeros(len(canonical), dtype=np.float32)
    np.add.at(merged, inverse.ravel(), weights)
    return keys, canonical, merged


def split_edges(
    edges: npt.NDArray[np.int64], nodes: int, held_out: float, seed: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Indices of training edges, held-out edges, and as many random non-edges."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(edges))
    test = order[: int(len(edges) * held_out)]
    train = order[int(len(edges) * held_out) :]
    existing = set(zip(edges[:, 0].tolist(), edges[:, 1].tolist(), strict=True))
    negatives: list[tuple[int, int]] = []
    while len(negatives) < len(test):
        a, b = (int(x) for x in rng.integers(0, nodes, 2))
        if a != b and (min(a, b), max(a, b)) not in existing:
            negatives.append((a, b))
    return train, test, np.asarray(negatives, dtype=np.int64)


def auc(positive: npt.NDArray[np.float64], negative: npt.NDArray[np.float64]) -> float:
    """Probability that a held-out edge outscores a non-edge (ties count half)."""
    from scipy.stats import rankdata

    ranks = np.asarray(rankdata(np.concatenate([positive, negative])), dtype=np.float64)
    n_pos, n_neg = len(positive), len(negative)
    return float((ranks[:n_pos].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def cosine_scores(
    vectors: npt.NDArray[np.float32], present: npt.NDArray[np.bool_], pairs: npt.NDArray[np.int64]
) -> npt.NDArray[np.float64]:
    """Cosine per pair; 0 where a node got no vector (all its edges were held out)."""
    norms = np.linalg.norm(vectors, axis=1)
    unit = vectors / np.maximum(norms, 1e-12)[:, None]
    scores = np.asarray(
        np.einsum("ij,ij->i", unit[pairs[:, 0]], unit[pairs[:, 1]]), dtype=np.float64
    )
    scores[~(present[pairs[:, 0]] & present[pairs[:, 1]])] = 0.0
    return scores


# ---------------------------------------------------------------------------------------
# Contenders, each run in a child process: (keys, train edges, weights) -> vectors


def _load(data: Path) -> tuple[list[str], npt.NDArray[np.int64], npt.NDArray[np.float32], Hyper]:
    with np.load(data, allow_pickle=False) as archive:
        keys = archive["keys"].tolist()
        edges, weights = archive["edges"], archive["weights"]
        hyper = Hyper(**json.loads(str(archive["hyper"])))
    return keys, edges, weights, hyper


def _aligned(keys: list[str], found: dict[str, npt.NDArray[np.float32]], dim: int) -> Any:
    vectors = np.zeros((len(keys), dim), dtype=np.float32)
    present = np.zeros(len(keys), dtype=bool)
    for i, key in enumerate(keys):
        if key in found:
            vectors[i] = found[key]
            present[i] = True
    return vectors, present


#: What a contender reports besides timings (the fyp kernels it ran), for the parent.
_NOTES: dict[str, str] = {}


def _run_fyp(
    keys: list[str],
    edges: Any,
    weights: Any,
    hyper: Hyper,
    timings: dict[str, float],
    choice: str = "auto",
) -> Any:
    from graph.embed import kernels
    from graph.embed.core import embed_walk_graph
    from graph.embed.options import EmbedOptions
    from graph.embed.progress import Stopwatch
    from graph.embed.walkgraph import graph_from_arrays

    started = time.perf_counter()
    walk_graph = graph_from_arrays(keys, edges[:, 0], edges[:, 1], weights)
    timings["graph"] = time.perf_counter() - started
    options = EmbedOptions(
        dimensions=hyper.dimensions, p=hyper.p, q=hyper.q, walk_length=hyper.walk_length,
        walks_per_node=hyper.walks_per_node, window=hyper.window, epochs=hyper.epochs,
        seed=hyper.seed, workers=1,
    )  # fmt: skip
    stopwatch = Stopwatch()
    chosen = kernels.load(choice)
    _NOTES["kernels"] = chosen.kind
    vectors = embed_walk_graph(walk_graph, options, stopwatch=stopwatch, kernels=chosen)
    timings.update(stopwatch.seconds)
    return dict(zip(walk_graph.keys, vectors, strict=True))


def _gensim(walks: list[list[str]], hyper: Hyper) -> Any:
    from gensim.models import Word2Vec

    return Word2Vec(
        walks, vector_size=hyper.dimensions, window=hyper.window, sg=1, min_count=1,
        workers=1, epochs=hyper.epochs, seed=hyper.seed,
    ).wv  # fmt: skip


def _run_fyp_gensim(
    keys: list[str], edges: Any, weights: Any, hyper: Hyper, timings: dict[str, float]
) -> Any:
    """fyp's walks, gensim's trainer: isolates the skip-gram implementation."""
    from graph.embed.walkgraph import graph_from_arrays
    from graph.embed.walks import generate_walks

    started = time.perf_counter()
    walk_graph = graph_from_arrays(keys, edges[:, 0], edges[:, 1], weights)
    walks = generate_walks(
        walk_graph, walk_length=hyper.walk_length, walks_per_node=hyper.walks_per_node,
        p=hyper.p, q=hyper.q, seed=hyper.seed,
    )  # fmt: skip
    token = walk_graph.keys
    sentences = [[token[i] for i in walk] for walk in walks]
    del walks
    timings["walks"] = time.perf_counter() - started
    started = time.perf_counter()
    wv = _gensim(sentences, hyper)
    timings["train"] = time.perf_counter() - started
    return {key: wv[key] for key in wv.index_to_key}


def _run_pecanpy(
    keys: list[str], edges: Any, weights: Any, hyper: Hyper, timings: dict[str, float], mode: str
) -> Any:
    from pecanpy import pecanpy
    from scipy import sparse

    started = time.perf_counter()
    n = len(keys)
    both = sparse.coo_matrix(
        (np.concatenate([weights, weights]), (np.concatenate([edges[:, 0], edges[:, 1]]),
                                              np.concatenate([edges[:, 1], edges[:, 0]]))),
        shape=(n, n), dtype=np.float32,
    ).tocsr()  # fmt: skip
    both.sort_indices()
    if mode == "sparse":
        walker: Any = pecanpy.SparseOTF(p=hyper.p, q=hyper.q, workers=1, random_state=hyper.seed)
        walker.set_node_ids(keys)
        walker.indptr = both.indptr.astype(np.uint64)
        walker.indices = both.indices.astype(np.uint32)
        walker.data = both.data.astype(np.float32)
    else:
        dense = both.toarray()
        del both
        walker = pecanpy.DenseOTF.from_mat(dense, keys, p=hyper.p, q=hyper.q, workers=1,
                                           random_state=hyper.seed)  # fmt: skip
    walks = walker.simulate_walks(num_walks=hyper.walks_per_node, walk_length=hyper.walk_length)
    timings["walks"] = time.perf_counter() - started
    started = time.perf_counter()
    wv = _gensim(walks, hyper)
    timings["train"] = time.perf_counter() - started
    return {key: wv[key] for key in wv.index_to_key}


def _run_node2vec(
    keys: list[str], edges: Any, weights: Any, hyper: Hyper, timings: dict[str, float]
) -> Any:
    import networkx as nx
    from node2vec import Node2Vec

    started = time.perf_counter()
    graph = nx.Graph()
    graph.add_weighted_edges_from(
        zip(
            (keys[a] for a in edges[:, 0]),
            (keys[b] for b in edges[:, 1]),
            weights.tolist(),
            strict=True,
        )
    )
    timings["graph"] = time.perf_counter() - started
    started = time.perf_counter()
    model = Node2Vec(
        graph, dimensions=hyper.dimensions, walk_length=hyper.walk_length,
        num_walks=hyper.walks_per_node, p=hyper.p, q=hyper.q, workers=1, quiet=True,
        seed=hyper.seed,
    )  # fmt: skip
    timings["precompute+walks"] = time.perf_counter() - started
    del graph
    started = time.perf_counter()
    wv = model.fit(
        window=hyper.window, min_count=1, epochs=hyper.epochs, seed=hyper.seed, workers=1
    ).wv
    timings["train"] = time.perf_counter() - started
    return {key: wv[key] for key in wv.index_to_key}


Contender = Callable[[list[str], Any, Any, Hyper, dict[str, float]], Any]


def _floor(
    run: Contender, keys: list[str], edges: Any, weights: Any, hyper: Hyper, timings: Any
) -> Any:
    """``run`` on the first edge alone: the peak memory of its runtime (interpreter,
    imports, compiled kernels) with next to no data, which every figure includes."""
    return run(keys, edges[:1], weights[:1], hyper, timings)


CONTENDERS: dict[str, Contender] = {
    "fyp": _run_fyp,
    "fyp-jit": partial(_run_fyp, choice="jit"),
    "fyp-gensim": _run_fyp_gensim,
    "pecanpy-sparse": partial(_run_pecanpy, mode="sparse"),
    "pecanpy-dense": partial(_run_pecanpy, mode="dense"),
    "node2vec": _run_node2vec,
    "fyp-floor": partial(_floor, _run_fyp),
    "fyp-jit-floor": partial(_floor, partial(_run_fyp, choice="jit")),
    "node2vec-floor": partial(_floor, _run_node2vec),
}


def child(name: str, data: Path, out: Path) -> None:
    keys, edges, weights, hyper = _load(data)
    timings: dict[str, float] = {}
    found = CONTENDERS[name](keys, edges, weights, hyper, timings)
    vectors, present = _aligned(keys, found, hyper.dimensions)
    np.savez(out, vectors=vectors, present=present)
    print(json.dumps({"timings": timings, "peak_kib": _own_peak_kib(), **_NOTES}))


def _own_peak_kib() -> int:
    """This process's peak resident set since exec (``VmHWM``), in KiB.

    Not ``ru_maxrss``: Linux carries the pre-exec high-water mark into it, and
    subprocess spawns with vfork, so a child's ``ru_maxrss`` is at least the
    parent's resident set at spawn (the whole synthetic graph here).
    """
    status = Path("/proc/self/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")))


@dataclass
class Result:
    name: str
    seconds: float
    cpu_seconds: float
    peak_mb: float
    auc: float
    timings: dict[str, float]
    #: fyp's contenders: "ahead-of-time" or "jit" kernels.
    kernels: str | None = None


def run_child(
    name: str, data: Path, workdir: Path, env: dict[str, str]
) -> tuple[float, float, float, dict[str, float], dict[str, str], Path]:
    out = workdir / f"{name}.npz"
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, __file__, "child", name, str(data), str(out)],
        stdout=subprocess.PIPE, env=env, text=True,
    )  # fmt: skip
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{name} failed with exit code {process.returncode}")
    reported = json.loads(output.strip().splitlines()[-1])
    timings = reported.pop("timings")
    peak_mb = reported.pop("peak_kib") / 1024
    cpu = usage.ru_utime + usage.ru_stime
    return seconds, cpu, peak_mb, timings, reported, out


def compare(spec: GraphSpec, hyper: Hyper, names: list[str], workdir: Path) -> dict[str, Result]:
    keys, edges, weights = make_graph(spec)
    degrees = np.bincount(edges.ravel(), minlength=len(keys)).astype(np.int64)
    log.info("graph: %d nodes, %d edges (sum of squared degrees %d)", len(keys), len(edges),
             int((degrees**2).sum()))  # fmt: skip
    train, test, negatives = split_edges(edges, len(keys), held_out=0.1, seed=spec.seed + 1)
    data = workdir / "train.npz"
    np.savez(data, keys=np.asarray(keys), edges=edges[train], weights=weights[train],
             hyper=np.asarray(json.dumps(asdict(hyper))))  # fmt: skip
    results: dict[str, Result] = {}
    for name in names:
        env = dict(os.environ)
        variant = name
        if name.startswith("fyp") and name != "fyp-gensim":
            variant = name.removesuffix("-warm")
            # JIT runs: the first with an empty numba cache, so compilation is part of the
            # time; "-warm" with the cache the first left behind (what every later
            # `fyp embed` gets). One cache per side, so `fyp` falling back to the JIT
            # (kernels not built) does not warm `fyp-jit`'s.
            side = "jit" if name.startswith("fyp-jit") else "auto"
            env["NUMBA_CACHE_DIR"] = str(workdir / f"numba-cache-{side}")
        log.info("running %s ...", name)
        seconds, cpu, peak, timings, notes, out = run_child(variant, data, workdir, env)
        with np.load(out) as archive:
            vectors, present = archive["vectors"], archive["present"]
        score = auc(
            cosine_scores(vectors, present, edges[test]), cosine_scores(vectors, present, negatives)
        )
        results[name] = Result(name, seconds, cpu, peak, score, timings, notes.get("kernels"))
        log.info("%s: %.1fs wall, %.1fs cpu, %.0f MB peak, AUC %.4f, %s%s", name, seconds, cpu,
                 peak, score, {k: round(v, 2) for k, v in timings.items()},
                 f", {notes['kernels']} kernels" if "kernels" in notes else "")  # fmt: skip
    return results


# ---------------------------------------------------------------------------------------
# End to end on a large graph in a throwaway Neo4j


def _own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _process_cpu_seconds(pid: int | None) -> float:
    """User + system CPU of another process (the Neo4j server), from /proc."""
    if pid is None:
        return float("nan")
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _large_server(home: Path | None) -> Any:
    """A throwaway server, or one kept under ``home`` so a loaded world is reused."""
    from contextlib import contextmanager

    from graph.config import Settings
    from graph.local_neo4j import LocalNeo4j, free_port, throwaway_server

    settings = Settings()
    if home is None:
        return throwaway_server(settings.cache, settings.neo4j_version, heap="3g", pagecache="2g")

    @contextmanager
    def kept() -> Any:
        server = LocalNeo4j(home, cache=settings.cache, version=settings.neo4j_version,
                            bolt_port=free_port(), heap="3g", pagecache="2g")  # fmt: skip
        server.start()
        try:
            yield server
        finally:
            server.stop()

    return kept()


def large_graph(
    users: int, videos: int, views_per_day: float, seed: int, home: Path | None = None
) -> dict[str, Any]:
    from graph.db import Connection, Graph
    from graph.embed import EmbedOptions, run_embedding
    from graph.embed.store import VECTOR_INDEXES
    from graph.ingest import import_records
    from graph.schema import init_schema
    from graph.synth import WorldSpec, generate_world

    spec = WorldSpec(users=users, videos=videos, seed=seed, views_per_user_day=views_per_day)
    # A kept server is reused only for the world it was loaded with.
    marker = None if home is None else home / f"loaded-{users}-{videos}-{views_per_day}-{seed}"
    load_seconds = None
    with _large_server(home) as server:
        conn = Connection(server.uri, "neo4j", server.password(), "neo4j", 900.0)
        with Graph(conn) as graph:
            if marker is None or not marker.exists():
                world = generate_world(spec)
                log.info("large world: %s", world.counts())
                init_schema(graph)
                started = time.perf_counter()
                import_records(graph, world.records(), batch_size=5_000)
                load_seconds = time.perf_counter() - started
                del world
                if marker is not None:
                    marker.touch()
                log.info("loaded in %.0fs", load_seconds)
            else:
                # A reused world still pays the vector index build, as a first run does.
                for index in VECTOR_INDEXES:
                    graph.write("embed/drop_index", indexName=index.name)
            log.info("embedding ...")
            server_pid = server.status().pid
            server_cpu = _process_cpu_seconds(server_pid)
            own_cpu = _own_cpu_seconds()
            started = time.perf_counter()
            report = run_embedding(graph, EmbedOptions(seed=seed))
            seconds = time.perf_counter() - started
            # On a shared machine the wall time follows the load: the CPU both processes
            # spent says what the run costs.
            cpu = {"client": _own_cpu_seconds() - own_cpu,
                   "neo4j": _process_cpu_seconds(server_pid) - server_cpu}  # fmt: skip
    nodes = sum(report.nodes.values())
    log.info("large graph: %d nodes, %d edges, %.1fs end to end %s, cpu %s", nodes, report.edges,
             seconds, {k: round(v, 1) for k, v in report.seconds.items()},
             {k: round(v, 1) for k, v in cpu.items()})  # fmt: skip
    return {"seconds": seconds, "cpu_seconds": cpu, "nodes": nodes, "edges": report.edges,
            "written": sum(report.written.values()), "indexes": report.indexes,
            "phases": report.seconds, "load_seconds": load_seconds,
            "kernels": report.kernels}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    names = ", ".join(["fyp-jit-warm", *CONTENDERS])
    parser.add_argument(
        "--variants", default="fyp,fyp-jit,node2vec", help=f"comma-separated: {names}"
    )
    parser.add_argument("--skip-large", action="store_true")
    parser.add_argument(
        "--large-only", action="store_true", help="only the large graph, no side-by-side"
    )
    parser.add_argument(
        "--large-home", type=Path, default=None,
        help="keep the large graph's Neo4j here and reuse it when already loaded",
    )  # fmt: skip
    parser.add_argument("--users", type=int, default=GraphSpec.users)
    parser.add_argument("--large-users", type=int, default=60_000)
    parser.add_argument("--large-videos", type=int, default=36_000)
    parser.add_argument("--large-views-per-day", type=float, default=1.4)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stderr)
    logging.getLogger("neo4j").setLevel(logging.WARNING)

    spec, hyper = GraphSpec(users=args.users), Hyper()
    results: dict[str, Result] = {}
    if not args.large_only:
        with tempfile.TemporaryDirectory(prefix="fyp-bench-embed-") as tmp:
            results = compare(spec, hyper, args.variants.split(","), Path(tmp))
    large = None
    if not args.skip_large:
        if args.large_home is not None:
            args.large_home.mkdir(parents=True, exist_ok=True)
        large = large_graph(args.large_users, args.large_videos, args.large_views_per_day,
                            seed=1, home=args.large_home)  # fmt: skip
    ours, base = results.get("fyp"), results.get("node2vec")
    summary: dict[str, Any] = {"name": "embed"}
    if ours and base:
        summary |= {
            "seconds": round(ours.seconds, 2),
            "baseline_seconds": round(base.seconds, 2),
            "speedup": round(base.seconds / ours.seconds, 2),
            "peak_mb": round(ours.peak_mb, 1),
            "baseline_peak_mb": round(base.peak_mb, 1),
            "memory_ratio": round(base.peak_mb / ours.peak_mb, 2),
            "kernels": ours.kernels,
            "auc": round(ours.auc, 4),
            "baseline_auc": round(base.auc, 4),
        }
    summary["large_graph_seconds"] = None if large is None else round(large["seconds"], 1)
    summary["details"] = {
        "graph": asdict(spec),
        "hyper": asdict(hyper),
        "contenders": {name: asdict(result) for name, result in results.items()},
        "large": large,
        # On a shared machine wall time follows the load; CPU time much less so.
        "cpu_speedup": round(base.cpu_seconds / ours.cpu_seconds, 2) if ours and base else None,
        "cpu_count": os.cpu_count(),
        "load_average": os.getloadavg(),
        "parent_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "child":
        child(sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]))
    else:
        main()
