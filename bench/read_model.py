"""Memory of the feed's read model on synthetic catalogues up to 1M videos.

Each API process holds the catalogue in memory (graph/feed/catalogue). This builds it
for growing synthetic catalogues through the same code the refresh uses
(``Catalogue.upsert_videos`` on ``catalogue/videos``-shaped rows, pages of 2,000;
``NeighbourhoodBuilder`` for 100 co-engagement neighbours a video) with 64-d
embeddings, and reports, per size, the bytes the read model accounts for
(``Catalogue.memory`` + neighbour arrays) and the process's resident-set growth, each
per video, so linearity shows at a glance. Each size runs in a fresh child process.

The last stdout line is one JSON object::

    {"name": "read_model", "sizes": {"100000": {"bytes_per_video": .., "rss_bytes_per_video":
     .., "build_s": ..}, ...}, "bytes_per_video_1m": .., "rss_gb_1m": ..}
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import sys
import time
from typing import Any

import numpy as np

from graph.feed.catalogue.neighbours import NeighbourhoodBuilder
from graph.feed.catalogue.store import Catalogue

PAGE = 2000
NEIGHBOURS = 100
DIMENSIONS = 64


def rss_bytes() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def rows(start: int, count: int, total: int, rng: random.Random) -> list[dict[str, Any]]:
    """``catalogue/videos`` rows as Neo4j returns them (creators, sounds, tags shared)."""
    vectors = np.random.default_rng(start).standard_normal((count, DIMENSIONS)).astype(np.float32)
    found = []
    for offset in range(count):
        number = start + offset
        creator = number % max(1, total // 50)
        sound = number % max(1, total // 20)
        found.append(
            {
                "id": f"v{number:08d}",
                "createdAt": 1_700_000_000_000 + number * 1000,
                "durationMs": 15_000,
                "caption": f"synthetic video {number} with a caption of typical length",
                "status": "active",
                "changedAt": 1_700_000_000_000,
                **{
                    name: rng.randint(0, 1000)
                    for name in (
                        "views",
                        "viewers",
                        "completes",
                        "likes",
                        "shares",
                        "comments",
                        "skips",
                        "impressions",
                    )
                },
                "completionSum": 12.5,
                "watchMsSum": 123_456,
                "embedding": vectors[offset].tolist(),
                "creator": {
                    "id": f"c{creator}",
                    "name": f"creator {creator}",
                    "videos": 50,
                    "followers": 100,
                    "following": 10,
                    "createdAt": 1,
                },
                "sound": {"id": f"s{sound}", "title": f"sound {sound}", "videos": 20},
                "hashtags": [
                    {"name": f"tag{(number * 7 + k) % 5000}", "videos": 200} for k in range(3)
                ],
            }
        )
    return found


def measure(size: int, queue: Any) -> None:
    rng = random.Random(size)
    before = rss_bytes()
    started = time.perf_counter()
    catalogue = Catalogue()
    for start in range(0, size, PAGE):
        catalogue.upsert_videos(rows(start, min(PAGE, size - start), size, rng))
    builder = NeighbourhoodBuilder(size)
    generator = np.random.default_rng(size)
    for start in range(0, size, PAGE * 10):
        owners = np.repeat(np.arange(start, min(size, start + PAGE * 10)), NEIGHBOURS)
        builder.add_arrays(
            owners.astype(np.int64),
            generator.integers(0, size, owners.size).astype(np.int32),
            generator.random(owners.size).astype(np.float32),
            generator.integers(1, 50, owners.size).astype(np.int32),
        )
    neighbours = builder.build(computed_at=1)
    build_s = time.perf_counter() - started
    held = catalogue.memory().bytes + neighbours.nbytes
    queue.put(
        {
            "videos": size,
            "bytes": held,
            "bytes_per_video": round(held / size, 1),
            "rss_bytes_per_video": round((rss_bytes() - before) / size, 1),
            "neighbour_bytes_per_video": round(neighbours.nbytes / size, 1),
            "build_s": round(build_s, 1),
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100000,300000,1000000")
    args = parser.parse_args()
    results: dict[str, Any] = {}
    context = multiprocessing.get_context("spawn")
    for size in (int(text) for text in args.sizes.split(",")):
        queue = context.Queue()
        child = context.Process(target=measure, args=(size, queue))
        child.start()
        results[str(size)] = queue.get()
        child.join()
        print(json.dumps(results[str(size)]), file=sys.stderr)
    largest = results[max(results, key=int)]
    print(
        json.dumps(
            {
                "name": "read_model",
                "sizes": results,
                "largest": largest["videos"],
                "bytes_per_video_largest": largest["bytes_per_video"],
                "rss_gb_largest": round(
                    largest["rss_bytes_per_video"] * largest["videos"] / 1e9, 2
                ),
            }
        )
    )


if __name__ == "__main__":
    main()
