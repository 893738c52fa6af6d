"""The ahead-of-time kernels: the JIT's results bit for bit, without numba loaded.

``make install`` (and so ``make test``) builds them; run by hand without that
build, the comparisons skip and only the fallback is checked.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Iterator

import numpy as np
import pytest

from graph.embed import kernels
from graph.embed.core import embed_walk_graph
from graph.embed.options import EmbedOptions
from graph.embed.walkgraph import WalkGraph, graph_from_edges
from graph.embed.walks import Walker

_NOT_BUILT = "ahead-of-time kernels not built (python -m graph.embed.build_kernels)"
#: .ci/run sets it: there the build must have happened, so its absence fails.
_REQUIRED = os.environ.get("FYP_REQUIRE_AOT_KERNELS") == "1"
built = pytest.mark.skipif(kernels.ahead_of_time() is None and not _REQUIRED, reason=_NOT_BUILT)


@pytest.fixture(autouse=True)
def _fresh_choice() -> Iterator[None]:
    # load() remembers its choice for the process; these tests change what it sees.
    kernels.load.cache_clear()
    yield
    kernels.load.cache_clear()


def _random_graph(nodes: int = 300, edges: int = 3000, seed: int = 5) -> WalkGraph:
    rng = np.random.default_rng(seed)
    src, dst = rng.integers(0, nodes, edges), rng.integers(0, nodes, edges)
    weights = rng.random(edges) * 3 + 0.1
    return graph_from_edges(
        (f"video:{a}", f"video:{b}", float(w))
        for a, b, w in zip(src, dst, weights, strict=True)
        if a != b
    )


def _walks(graph: WalkGraph, chosen: kernels.Kernels) -> np.ndarray:
    walker = Walker(graph, walk_length=12, walks_per_node=3, p=0.5, q=2.0, seed=9,
                    kernels=chosen, block=200)  # fmt: skip
    return np.concatenate([rows.copy() for rows in walker.blocks()])


@built
def test_walks_and_vectors_match_the_jit_bit_for_bit() -> None:
    graph = _random_graph()
    aot, jit = kernels.load("ahead-of-time"), kernels.load("jit")  # raises when not built
    assert (aot.kind, jit.kind) == (kernels.AHEAD_OF_TIME, kernels.JIT)
    assert np.array_equal(_walks(graph, aot), _walks(graph, jit))
    options = EmbedOptions(dimensions=16, walk_length=12, walks_per_node=3, p=0.5, q=2.0,
                           window=3, epochs=2, seed=3)  # fmt: skip
    from_aot = embed_walk_graph(graph, options, kernels=aot)
    from_jit = embed_walk_graph(graph, options, kernels=jit)
    assert np.array_equal(from_aot, from_jit)
    assert np.abs(from_aot).max() > 0.01  # it trained: not the tiny start vectors


@built
def test_alias_tables_and_streams_match() -> None:
    aot, jit = kernels.load("ahead-of-time"), kernels.load("jit")
    indptr = np.array([0, 3, 3, 7], dtype=np.int64)
    weights = np.array([1, 2, 3, 0.5, 0.5, 4, 1], dtype=np.float32)
    for built_table, jit_table in zip(
        aot.alias_tables(indptr, weights), jit.alias_tables(indptr, weights), strict=True
    ):
        assert np.array_equal(built_table, jit_table)
    assert aot.stream(np.uint64(42), 7) == jit.stream(np.uint64(42), 7)


@built
def test_a_run_with_the_built_kernels_never_loads_numba() -> None:
    script = (
        "import sys\n"
        "from graph.embed.core import embed_walk_graph\n"
        "from graph.embed.options import EmbedOptions\n"
        "from graph.embed.walkgraph import graph_from_edges\n"
        "g = graph_from_edges([('user:a', 'video:b', 1.0), ('video:b', 'video:c', 2.0)])\n"
        "v = embed_walk_graph(g, EmbedOptions(dimensions=8, walk_length=5, walks_per_node=2))\n"
        "assert v.shape == (3, 8), v.shape\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('numba', 'llvmlite')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_a_stale_build_falls_back_to_the_jit(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    was_built = kernels.ahead_of_time() is not None
    monkeypatch.setattr(kernels, "source_digest", lambda: "edited since the build")
    with caplog.at_level(logging.WARNING, logger="graph.embed.kernels"):
        assert kernels.ahead_of_time() is None
        assert kernels.load().kind == kernels.JIT
    assert ("older than their source" in caplog.text) is was_built
    with pytest.raises(RuntimeError, match="build_kernels"):
        kernels.load("ahead-of-time")


def test_the_digest_covers_every_kernel_source() -> None:
    digest = kernels.source_digest()
    assert len(digest) == 64 and digest == kernels.source_digest()
    for name in kernels.KERNEL_SOURCES:
        assert (kernels.HERE / name).is_file(), name
