"""The Cypher library: every file has a header, parses, and documents its parameters."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.cypher import Query, QueryLibrary
from graph.errors import ClientError, ServerError

LIBRARY = QueryLibrary.default()


def test_library_is_not_empty() -> None:
    assert "schema/constraints" in LIBRARY
    assert len(LIBRARY) >= 5


@pytest.mark.parametrize("name", list(LIBRARY))
def test_every_query_has_a_header_that_names_its_parameters(name: str) -> None:
    query = LIBRARY[name]
    assert query.header, f"{name} has no // header"
    for parameter in query.parameters:
        assert f"${parameter}" in query.header, f"{name}: header does not document ${parameter}"


def test_parameters_ignore_comments_and_strings() -> None:
    query = Query.parse(
        "x", "// uses $a\nMATCH (n {name: '$notParam'}) WHERE n.x = $b // $c\nRETURN n"
    )
    assert query.parameters == {"b"}
    assert query.header == "uses $a"


def test_check_rejects_missing_and_unexpected_parameters() -> None:
    query = Query.parse("q", "// $a\nRETURN $a")
    query.check({"a": 1})
    with pytest.raises(ServerError, match="missing \\['a'\\]"):
        query.check({})
    with pytest.raises(ServerError, match="unexpected \\['b'\\]"):
        query.check({"a": 1, "b": 2})


def test_unknown_query_is_a_client_error() -> None:
    with pytest.raises(ClientError, match="no Cypher query named"):
        LIBRARY["does/not/exist"]


def test_statements_split_multi_statement_files() -> None:
    statements = LIBRARY["schema/constraints"].statements()
    assert len(statements) >= 5
    assert all(s.startswith("CREATE CONSTRAINT") for s in statements)


def test_no_cypher_outside_the_library() -> None:
    """Python never holds query text: it lives in cypher/ only."""
    root = Path(__file__).resolve().parents[2]
    keywords = ("MATCH (", "MERGE (", "UNWIND $", "CREATE (", "DETACH DELETE")
    offenders = [
        str(path.relative_to(root))
        for package in ("graph", "api")
        for path in (root / package).rglob("*.py")
        if any(keyword in path.read_text() for keyword in keywords)
    ]
    assert offenders == []


def test_apostrophe_in_a_comment_does_not_hide_parameters() -> None:
    query = Query.parse(
        "q", "// the user's feed: $userId\nMATCH (u {id: $userId, url: 'a//b'})\nRETURN u"
    )
    assert query.parameters == {"userId"}
