"""The embedding Cypher files agree with the Python that calls them."""

from __future__ import annotations

import pytest

from graph.cypher import QueryLibrary
from graph.embed.nodes import STORAGE, NodeKind
from graph.embed.store import VECTOR_INDEXES, WRITE_QUERY, VectorIndex

LIBRARY = QueryLibrary.default()


@pytest.mark.parametrize("kind", list(NodeKind))
def test_each_kind_is_written_where_storage_says(kind: NodeKind) -> None:
    storage = STORAGE[kind]
    text = LIBRARY[WRITE_QUERY[kind]].text
    assert f"MATCH (n:{storage.label} {{{storage.key}: row.id}})" in text
    assert f"'{storage.property}'" in text
    assert LIBRARY[WRITE_QUERY[kind]].parameters == {"rows", "runId"}


@pytest.mark.parametrize("index", VECTOR_INDEXES, ids=lambda index: index.name)
def test_each_vector_index_covers_its_kind(index: VectorIndex) -> None:
    storage = STORAGE[index.kind]
    text = LIBRARY[index.create_query].text
    assert f"CREATE VECTOR INDEX {index.name} IF NOT EXISTS" in text
    assert f"FOR (n:{storage.label}) ON n.{storage.property}" in text
    assert LIBRARY[index.create_query].parameters == {"dimensions"}


@pytest.mark.parametrize(
    ("name", "parameters"),
    [
        ("embed/export_users", {"after", "batchSize"}),
        ("embed/export_videos", {"after", "batchSize"}),
        ("embed/similar_videos", {"videoId", "k", "candidates"}),
        ("embed/similar_creators", {"creatorId", "k", "candidates"}),
        ("embed/nearest_videos", {"userId", "vector", "k", "candidates", "excludeSeen"}),
        ("embed/fold_in_users", {"ids", "neighbours"}),
        ("embed/fold_in_videos", {"ids", "neighbours"}),
        ("embed/fold_in_creators", {"ids", "neighbours"}),
        ("embed/clear_stale", {"runId", "batchSize"}),
        ("embed/record_run", {"runId", "properties"}),
    ],
)
def test_parameters_are_what_the_callers_pass(name: str, parameters: set[str]) -> None:
    # A quote in a // header once hid parameters from the parser: pin them down.
    assert LIBRARY[name].parameters == parameters


def test_similarity_queries_leave_the_item_out() -> None:
    assert "node <> v" in LIBRARY["embed/similar_videos"].text
    assert "node <> c" in LIBRARY["embed/similar_creators"].text
