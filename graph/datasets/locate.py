"""Finding the KuaiRand subset on disk without asking (tests, benchmarks, the CLI's default).

The dataset ships beside a checkout, in ``shared/datasets/kuairand-pure-subset``, and
that ``shared/`` folder may sit inside the repository or next to it; ``FYP_KUAIRAND``
points anywhere else. The caller passes the environment value in (config is read at
the edge), and where to start looking.
"""

from __future__ import annotations

from pathlib import Path

RELATIVE = Path("shared") / "datasets" / "kuairand-pure-subset"


def find_kuairand(start: Path, override: str | None = None) -> Path | None:
    """The dataset folder (it has ``processed/``), or None when it is nowhere around.

    ``override`` (the value of ``FYP_KUAIRAND``) wins when it names a dataset folder;
    otherwise ``start`` and each of its parents is tried for ``shared/datasets/...``.
    """
    candidates = [Path(override)] if override else []
    candidates += [folder / RELATIVE for folder in (start, *start.parents)]
    for candidate in candidates:
        if (candidate / "processed").is_dir():
            return candidate
    return None
