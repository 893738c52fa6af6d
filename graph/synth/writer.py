"""Writing a world as an import folder (JSON Lines) plus its ground truth."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from graph.errors import ClientError
from graph.synth.arrays import Progress
from graph.synth.world import World

#: How often (rows) the progress callback hears from a file being written.
PROGRESS_EVERY = 10_000


def _dumps(row: Any) -> str:
    return json.dumps(row, separators=(",", ":"), ensure_ascii=False)


def write_import_dir(world: World, out: Path, progress: Progress | None = None) -> dict[str, int]:
    """Write ``users.jsonl`` ... ``interactions.jsonl`` and ``truth.json`` into ``out``.

    Returns rows written per file. Each file appears complete or not at all (it is
    written under a temporary name first).
    """
    _make_dir(out)
    written: dict[str, int] = {}
    for name, rows in world.records().items():
        total = len(rows)
        count = 0
        target = out / f"{name}.jsonl"
        partial = target.with_suffix(".jsonl.partial")
        with partial.open("w", encoding="utf-8", newline="\n") as file:
            for row in rows:
                file.write(_dumps(row))
                file.write("\n")
                count += 1
                if progress is not None and count % PROGRESS_EVERY == 0:
                    progress(f"writing {name}", count, total)
        partial.replace(target)
        if progress is not None:
            progress(f"writing {name}", count, total)
        written[name] = count
    write_truth(world, out / "truth.json")
    return written


def write_truth(world: World, path: Path) -> Path:
    _make_dir(path.parent)
    partial = path.with_suffix(".partial")
    partial.write_text(_dumps(world.truth) + "\n", encoding="utf-8")
    partial.replace(path)
    return path


def _make_dir(path: Path) -> None:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError) as error:
        raise ClientError(f"cannot write into {path}: a file is in the way ({error})") from error
    except PermissionError as error:
        raise ClientError(f"cannot write into {path}: permission denied") from error
