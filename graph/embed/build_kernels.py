"""Compile the embedding kernels ahead of time: ``python -m graph.embed.build_kernels``.

numba's ``pycc`` turns the same ``@njit`` source the JIT runs into two CPython
extension modules in this package (see :mod:`graph.embed.kernels` for why). The
walk kernels compile without fast-math, as their JIT twins do; training compiles
with it, as ``train_slice``'s ``fastmath=True`` asks, so both paths emit the same
machine code. ``target_cpu = "host"`` matches the JIT too: the build is for this
machine, like numba's cache (``make install`` builds it where it runs).

``numba.pycc`` is deprecated upstream (pending removal); if it goes, the JIT path
still runs, only with numba's memory and start-up costs.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from importlib import import_module
from typing import Any

from graph.embed.kernels import (
    BUILD_RECORD,
    HERE,
    TRAIN_MODULE,
    WALK_MODULE,
    source_digest,
)

#: Exported name -> numba signature. Arrays are C-contiguous (``::1``), as the
#: callers pass them; a mismatched dtype or layout is a TypeError at the call.
WALK_SIGNATURES = {
    "alias_tables": "Tuple((f4[::1], i4[::1]))(i8[::1], f4[::1])",
    "walk_block": "void(i8[::1], i4[::1], f4[::1], f4[::1], i4[::1], i4[::1], i8, f8, f8, u8,"
    " i4[:, ::1])",
    "count_visits": "void(i4[:, ::1], i8[::1])",
    "stream": "u8(u8, i8)",
}
TRAIN_SIGNATURES = {
    "train_slice": "void(i4[:, ::1], f4[::1], f4[::1], i4[::1], f4[:, ::1], f4[:, ::1], i8, i8,"
    " f8, f8, i8, i8, i8, u8)",
}


def _compile(
    name: str, functions: dict[str, Any], signatures: dict[str, str], fastmath: bool
) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pycc's pending-deprecation notice
        pycc: Any = import_module("numba.pycc")
        pycc_compiler: Any = import_module("numba.pycc.compiler")
    fastmath_options = import_module("numba.core.cpu").FastMathOptions
    plain_flags = pycc_compiler.Flags

    class FastMathFlags(plain_flags):  # type: ignore[misc,valid-type]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.fastmath = fastmath_options(True)

    module = pycc.CC(name)
    module.output_dir = str(HERE)
    module.target_cpu = "host"
    for exported, function in functions.items():
        # py_func: the plain Python source, which pycc compiles with the signature.
        module.export(exported, signatures[exported])(function.py_func)
    # pycc builds every export with one Flags object and no fast-math switch.
    pycc_compiler.Flags = FastMathFlags if fastmath else plain_flags
    try:
        module.compile()
    finally:
        pycc_compiler.Flags = plain_flags


def build() -> None:
    """Compile both modules into this package and record the source digest. The old
    record goes first and the new one is written last, so a failed build leaves no
    record and the JIT in charge."""
    from graph.embed import alias, rng, skipgram_kernels, walk_kernels

    digest = source_digest()
    BUILD_RECORD.unlink(missing_ok=True)
    walk_functions: dict[str, Any] = {
        "alias_tables": alias.alias_tables,
        "walk_block": walk_kernels.walk_block,
        "count_visits": walk_kernels.count_visits,
        "stream": rng.stream,
    }
    _compile(WALK_MODULE, walk_functions, WALK_SIGNATURES, fastmath=False)
    train_functions: dict[str, Any] = {"train_slice": skipgram_kernels.train_slice}
    _compile(TRAIN_MODULE, train_functions, TRAIN_SIGNATURES, fastmath=True)
    numba_version = import_module("numba").__version__
    record = {"source_sha256": digest, "numba": numba_version}
    BUILD_RECORD.write_text(json.dumps(record) + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args()
    started = time.perf_counter()
    try:
        build()
    except Exception as error:  # compiler and linker failures come in many types
        print(
            f"could not compile the embedding kernels ahead of time ({type(error).__name__}: "
            f"{error}). They need a C compiler and Python's headers (Debian: apt install gcc "
            "python3-dev). `fyp embed` still works, on numba's JIT.",
            file=sys.stderr,
        )
        return 1
    print(f"embedding kernels compiled ahead of time in {time.perf_counter() - started:.1f}s"
          f" into {HERE}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
