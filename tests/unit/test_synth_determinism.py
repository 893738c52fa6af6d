"""A world is a function of its spec: same seed and end, same bytes; another seed, another
world; another end, the same world with every time moved by exactly the difference."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from graph.synth import WorldSpec, generate_world, write_import_dir
from graph.synth.spec import HOUR_MS

FILES = ("users", "creators", "videos", "follows", "interactions")
#: A fixed end: the default (the wall clock) would make two runs of a test differ.
END = datetime(2025, 6, 1, 12, tzinfo=UTC)
#: Every field that holds a time, in the import files and the truth.
TIME_FIELDS = ("createdAt", "at", "peakAt")


def _write(spec: WorldSpec, out: Path) -> dict[str, bytes]:
    written = write_import_dir(generate_world(spec), out)
    assert set(written) == set(FILES)
    contents = {name: (out / f"{name}.jsonl").read_bytes() for name in FILES}
    contents["truth"] = (out / "truth.json").read_bytes()
    for name in FILES:
        assert contents[name].count(b"\n") == written[name]
    return contents


def test_same_seed_and_end_give_byte_identical_files(tmp_path: Path) -> None:
    first = _write(WorldSpec(users=300, videos=300, seed=1, end=END), tmp_path / "a")
    second = _write(WorldSpec(users=300, videos=300, seed=1, end=END), tmp_path / "b")
    assert first == second
    assert not list((tmp_path / "a").glob("*.partial")), "no temporary files left behind"
    assert json.loads(first["truth"])["spec"]["end"] == "2025-06-01T12:00:00Z"


def test_another_seed_gives_another_world(tmp_path: Path) -> None:
    one = _write(WorldSpec(users=300, videos=300, seed=1, end=END), tmp_path / "a")
    two = _write(WorldSpec(users=300, videos=300, seed=2, end=END), tmp_path / "b")
    for name in ("users", "videos", "interactions", "truth"):
        assert one[name] != two[name], name


def _shifted(value: Any, by: int) -> Any:
    """``value`` (parsed JSON) with every time field moved by ``by`` ms."""
    if isinstance(value, dict):
        return {
            key: item + by if key in TIME_FIELDS else _shifted(item, by)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_shifted(item, by) for item in value]
    return value


def test_another_end_moves_every_time_by_exactly_the_difference(tmp_path: Path) -> None:
    """Not whole days or hours, and across a power of two of epoch ms (2^40 ms is in
    November 2004): no calendar and no float rounding may depend on where the world is."""
    earlier_end = datetime(2003, 2, 17, 5, 42, 36, 789_000, tzinfo=UTC)
    spec = WorldSpec(users=300, videos=300, seed=3, end=END)
    earlier = WorldSpec(users=300, videos=300, seed=3, end=earlier_end)
    now = _write(spec, tmp_path / "now")
    then = _write(earlier, tmp_path / "then")
    difference = spec.end_ms - earlier.end_ms
    assert difference % HOUR_MS != 0
    for name in FILES:
        rows_now = [json.loads(line) for line in now[name].splitlines()]
        rows_then = [json.loads(line) for line in then[name].splitlines()]
        assert rows_now, name
        # Event ids too: they name what the world is, not when (see WorldSpec.digest).
        assert rows_now == _shifted(rows_then, difference), name
    truth_now, truth_then = json.loads(now["truth"]), json.loads(then["truth"])
    assert truth_now["spec"].pop("end") == "2025-06-01T12:00:00Z"
    assert truth_then["spec"].pop("end") == "2003-02-17T05:42:36.789Z"
    assert truth_now == _shifted(truth_then, difference)


def test_nothing_happens_at_or_after_the_end() -> None:
    """A busy last day: likes, comments and follows of the last views would come after the
    end; they have not happened yet, so they are not in the world."""
    spec = WorldSpec(users=300, videos=3000, seed=3, days=1, views_per_user_day=200, end=END)
    world = generate_world(spec)
    records = world.records()
    times = [event["at"] for event in records["interactions"]]
    times += [row["createdAt"] for kind in ("users", "creators", "videos") for row in records[kind]]
    times += [follow["at"] for follow in records["follows"]]
    assert max(times) < spec.end_ms
    # ... and the world is busy right up to its end: a demo's *now* finds it alive.
    assert max(times) > spec.end_ms - 60_000


def test_a_world_generated_now_ends_now() -> None:
    world = generate_world(WorldSpec(users=300, videos=300, seed=1))
    wall_ms = int(datetime.now(UTC).timestamp() * 1000)
    assert wall_ms - HOUR_MS - 5_000 <= world.spec.end_ms <= wall_ms
    last = max(event["at"] for event in world.records()["interactions"])
    assert world.spec.end_ms - HOUR_MS < last < world.spec.end_ms


def test_event_ids_differ_between_worlds() -> None:
    """Two worlds loaded into one database must not mistake each other's events for replays."""
    one = generate_world(WorldSpec(users=300, videos=300, seed=1, end=END))
    two = generate_world(WorldSpec(users=300, videos=300, seed=1, days=7, end=END))
    first_ids = {e["eventId"] for e in one.records()["interactions"]}
    second_ids = {e["eventId"] for e in two.records()["interactions"]}
    assert not first_ids & second_ids


def test_same_seed_gives_the_same_bytes_across_processes(tmp_path: Path) -> None:
    """No dependence on hash randomisation (set order) or anything else per process."""
    script = (
        "import sys; from datetime import datetime; from pathlib import Path; "
        "from graph.synth import WorldSpec, generate_world, write_import_dir; "
        "end = datetime.fromisoformat(sys.argv[2]); "
        "world = generate_world(WorldSpec(users=300, videos=300, seed=5, end=end)); "
        "write_import_dir(world, Path(sys.argv[1]))"
    )
    for hash_seed in ("1", "2"):
        subprocess.run(
            [sys.executable, "-c", script, str(tmp_path / hash_seed), END.isoformat()],
            check=True,
            env={**os.environ, "PYTHONHASHSEED": hash_seed},
        )
    for name in (*FILES, "truth"):
        suffix = ".json" if name == "truth" else ".jsonl"
        assert (tmp_path / "1" / f"{name}{suffix}").read_bytes() == (
            tmp_path / "2" / f"{name}{suffix}"
        ).read_bytes(), name
