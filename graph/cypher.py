"""The one place that reads Cypher: every statement is a file under ``cypher/``.

A query's name is its path below ``cypher/`` without the extension
(``ingest/views``). Each file starts with a ``//`` comment header that says what it
returns, its ``$parameters`` and who uses it. Query text is never built in
Python; values always travel as parameters.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

from graph.errors import ClientError, ServerError

_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
# One token at a time, so an apostrophe inside a comment does not open a string and
# a ``//`` inside a string does not open a comment.
_TOKEN = re.compile(
    r"(?P<comment>//[^\n]*)|(?P<string>'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")|(?P<code>.)",
    re.DOTALL,
)


def _code_only(source: str) -> str:
    """The source without comments and with string literals emptied."""
    return "".join(
        "''" if match.lastgroup == "string" else match.group() if match.lastgroup == "code" else ""
        for match in _TOKEN.finditer(source)
    )


@dataclass(frozen=True)
class Query:
    """One named Cypher file."""

    name: str
    text: str
    header: str
    parameters: frozenset[str]

    @classmethod
    def parse(cls, name: str, source: str) -> Query:
        header_lines: list[str] = []
        for line in source.splitlines():
            stripped = line.strip()
            if not stripped.startswith("//"):
                break
            header_lines.append(stripped[2:].strip())
        body = _code_only(source)
        return cls(
            name=name,
            text=source.strip(),
            header="\n".join(header_lines).strip(),
            parameters=frozenset(_PARAM.findall(body)),
        )

    def statements(self) -> list[str]:
        """Split a multi-statement file (schema files) on ``;`` at line ends."""
        body = "\n".join(
            line for line in self.text.splitlines() if not line.strip().startswith("//")
        )
        return [part.strip() for part in re.split(r";\s*(?:\n|$)", body) if part.strip()]

    def check(self, params: Mapping[str, Any]) -> None:
        """Fail loudly when a call site passes other parameters than the file uses."""
        given = set(params)
        missing = self.parameters - given
        extra = given - self.parameters
        if missing or extra:
            raise ServerError(
                f"query {self.name!r} takes {sorted(self.parameters)}; "
                f"missing {sorted(missing)}, unexpected {sorted(extra)}"
            )


class QueryLibrary(Mapping[str, Query]):
    """All named queries under one root, read once."""

    def __init__(self, queries: Mapping[str, Query]) -> None:
        self._queries = dict(queries)

    @classmethod
    def from_root(cls, root: Traversable) -> QueryLibrary:
        queries: dict[str, Query] = {}
        for path, name in _walk(root, ""):
            queries[name] = Query.parse(name, path.read_text(encoding="utf-8"))
        return cls(queries)

    @staticmethod
    @cache
    def default() -> QueryLibrary:
        """The library shipped with the package (``cypher/``)."""
        return QueryLibrary.from_root(resources.files("cypher"))

    def __getitem__(self, name: str) -> Query:
        try:
            return self._queries[name]
        except KeyError:
            raise ClientError(f"no Cypher query named {name!r}") from None

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._queries))

    def __len__(self) -> int:
        return len(self._queries)

    def under(self, prefix: str) -> list[Query]:
        """Queries whose name starts with ``prefix/``, sorted by name."""
        return [self._queries[name] for name in self if name.startswith(prefix.rstrip("/") + "/")]


def _walk(root: Traversable, prefix: str) -> Iterator[tuple[Traversable, str]]:
    for entry in sorted(root.iterdir(), key=lambda entry: entry.name):
        if entry.is_dir() and not entry.name.startswith(("_", ".")):
            yield from _walk(entry, f"{prefix}{entry.name}/")
        elif entry.name.endswith(".cypher"):
            yield entry, prefix + entry.name.removesuffix(".cypher")
