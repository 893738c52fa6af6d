"""A world is a function of its spec: same seed, same bytes; another seed, another world."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from graph.synth import WorldSpec, generate_world, write_import_dir

FILES = ("users", "creators", "videos", "follows", "interactions")


def _write(spec: WorldSpec, out: Path) -> dict[str, bytes]:
    written = write_import_dir(generate_world(spec), out)
    assert set(written) == set(FILES)
    contents = {name: (out / f"{name}.jsonl").read_bytes() for name in FILES}
    contents["truth"] = (out / "truth.json").read_bytes()
    for name in FILES:
        assert contents[name].count(b"\n") == written[name]
    return contents


def test_same_seed_gives_byte_identical_files(tmp_path: Path) -> None:
    spec = WorldSpec(users=300, videos=300, seed=1)
    first = _write(spec, tmp_path / "a")
    second = _write(spec, tmp_path / "b")
    assert first == second
    assert not list((tmp_path / "a").glob("*.partial")), "no temporary files left behind"


def test_another_seed_gives_another_world(tmp_path: Path) -> None:
    one = _write(WorldSpec(users=300, videos=300, seed=1), tmp_path / "a")
    two = _write(WorldSpec(users=300, videos=300, seed=2), tmp_path / "b")
    for name in ("users", "videos", "interactions", "truth"):
        assert one[name] != two[name], name


def test_event_ids_differ_between_worlds() -> None:
    """Two worlds loaded into one database must not mistake each other's events for replays."""
    one = generate_world(WorldSpec(users=300, videos=300, seed=1))
    two = generate_world(WorldSpec(users=300, videos=300, seed=1, days=7))
    first_ids = {e["eventId"] for e in one.records()["interactions"]}
    second_ids = {e["eventId"] for e in two.records()["interactions"]}
    assert not first_ids & second_ids


def test_same_seed_gives_the_same_bytes_across_processes(tmp_path: Path) -> None:
    """No dependence on hash randomisation (set order) or anything else per process."""
    script = (
        "import sys; from pathlib import Path; "
        "from graph.synth import WorldSpec, generate_world, write_import_dir; "
        "world = generate_world(WorldSpec(users=300, videos=300, seed=5)); "
        "write_import_dir(world, Path(sys.argv[1]))"
    )
    for hash_seed in ("1", "2"):
        subprocess.run(
            [sys.executable, "-c", script, str(tmp_path / hash_seed)],
            check=True,
            env={**os.environ, "PYTHONHASHSEED": hash_seed},
        )
    for name in (*FILES, "truth"):
        suffix = ".json" if name == "truth" else ".jsonl"
        assert (tmp_path / "1" / f"{name}{suffix}").read_bytes() == (
            tmp_path / "2" / f"{name}{suffix}"
        ).read_bytes(), name
