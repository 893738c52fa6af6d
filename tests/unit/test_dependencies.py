"""The dependencies pyproject.toml declares match what the code imports.

The base install is what ``fyp`` runs (``graph/``, ``api/``): every third-party module they
import comes from a base dependency, and every base dependency is imported there. The
benchmarks may also use the ``bench`` extra, the tests the ``dev`` one.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from collections.abc import Iterable
from functools import cache
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
#: Declared but never imported, on purpose.
NOT_IMPORTED = {"neo4j-rust-ext": "a codec the neo4j driver loads by itself"}
#: Imported only inside ``try: ... except ImportError`` (used when present).
OPTIONAL = {"psutil"}


def normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_name(requirement: str) -> str:
    match = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement)
    assert match, requirement
    return normalised(match.group())


@cache
def declared() -> dict[str, set[str]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    groups = {"base": {requirement_name(r) for r in project["dependencies"]}}
    for extra, requirements in project["optional-dependencies"].items():
        groups[extra] = {requirement_name(r) for r in requirements} - {"fyp"}
    return groups


def local_modules(folder: Path) -> set[str]:
    """Modules a folder's scripts import from beside them (``from feed_load import ...``)."""
    return {path.stem for path in folder.rglob("*.py")} | {"conftest"}


def imported(folders: Iterable[str]) -> dict[str, set[str]]:
    """Top-level third-party modules imported under ``folders``, with the files."""
    found: dict[str, set[str]] = {}
    for folder in folders:
        local = local_modules(ROOT / folder) | {"graph", "api", "bench", "tests"}
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    top = name.split(".")[0]
                    if top in sys.stdlib_module_names or top in local or top == "__future__":
                        continue
                    found.setdefault(top, set()).add(str(path.relative_to(ROOT)))
    return found


def distributions(module: str) -> set[str]:
    return {normalised(name) for name in packages_distributions().get(module, [])}


def undeclared(folders: Iterable[str], allowed: set[str]) -> dict[str, set[str]]:
    missing = {}
    for module, files in imported(folders).items():
        if module in OPTIONAL:
            continue
        owners = distributions(module)
        if not owners & allowed:
            missing[module] = files
    return missing


def test_what_fyp_runs_imports_only_base_dependencies() -> None:
    assert undeclared(["graph", "api"], declared()["base"]) == {}


def test_every_base_dependency_is_imported_by_what_fyp_runs() -> None:
    used = {dist for module in imported(["graph", "api"]) for dist in distributions(module)}
    unused = declared()["base"] - used - set(NOT_IMPORTED)
    assert unused == set(), "base dependencies nothing in graph/ or api/ imports"


def test_benchmarks_import_only_base_and_bench_dependencies() -> None:
    allowed = declared()["base"] | declared()["bench"]
    assert undeclared(["bench"], allowed) == {}


def test_tests_import_only_declared_dependencies() -> None:
    groups = declared()
    assert undeclared(["tests"], groups["base"] | groups["bench"] | groups["dev"]) == {}


@pytest.mark.parametrize(
    ("requirement", "name"),
    [("neo4j>=5.26,<6", "neo4j"), ("scikit-learn>=1.4", "scikit-learn"),
     ("prometheus_client>=0.20", "prometheus-client"), ("fyp[bench]", "fyp")],
)  # fmt: skip
def test_requirement_names_are_normalised(requirement: str, name: str) -> None:
    assert requirement_name(requirement) == name
