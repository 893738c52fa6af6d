"""Reading import folders (JSON Lines and CSV) and combining import reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.errors import ClientError
from graph.ingest import FileCounts, ImportReport, Rejection
from graph.ingest.sources import SourceRecord, count_lines, find_files, read_csv, read_jsonl


def test_files_come_in_load_order_whatever_their_format(tmp_path: Path) -> None:
    for name in ("interactions.jsonl", "videos.csv", "users.jsonl", "notes.txt"):
        (tmp_path / name).write_text("")
    found = find_files(tmp_path)
    assert [(source.kind, source.name) for source in found] == [
        ("users", "users.jsonl"),
        ("videos", "videos.csv"),
        ("interactions", "interactions.jsonl"),
    ]


def test_a_bad_folder_is_a_client_error(tmp_path: Path) -> None:
    with pytest.raises(ClientError, match="is not a folder"):
        find_files(tmp_path / "missing")
    with pytest.raises(ClientError, match="holds no import files"):
        find_files(tmp_path)
    (tmp_path / "users.jsonl").write_text("")
    (tmp_path / "users.csv").write_text("")
    with pytest.raises(ClientError, match=r"both users\.jsonl and users\.csv"):
        find_files(tmp_path)


def test_jsonl_lines_are_numbered_and_bad_lines_explained(tmp_path: Path) -> None:
    path = tmp_path / "users.jsonl"
    path.write_text('{"id": "u1"}\n\n{"id": \n[1, 2]\n{"id": "u2"}')
    assert list(read_jsonl(path)) == [
        SourceRecord(1, {"id": "u1"}),
        SourceRecord(3, None, "not valid JSON: Expecting value"),
        SourceRecord(4, None, "a line must hold one JSON object"),
        SourceRecord(5, {"id": "u2"}),
    ]


def test_csv_rows_count_the_header_and_drop_empty_cells(tmp_path: Path) -> None:
    path = tmp_path / "videos.csv"
    path.write_text(
        'id,creatorId,caption,hashtags\nv1,a1,"two\nlines",dance|fun\nv2,a1,,\n,,,\nv3,a1\n'
    )
    assert list(read_csv(path)) == [
        SourceRecord(2, {"id": "v1", "creatorId": "a1", "caption": "two\nlines",
                         "hashtags": "dance|fun"}),
        SourceRecord(4, {"id": "v2", "creatorId": "a1"}),
        SourceRecord(6, None, "has 2 cells but the header names 4"),
    ]  # fmt: skip


def test_count_lines_is_close_enough_for_a_progress_bar(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text("{}\n{}\n{}\n")
    (tmp_path / "a.csv").write_text("id\nu1\nu2\n")
    assert count_lines(tmp_path / "a.jsonl") == 3
    assert count_lines(tmp_path / "a.csv") == 2


def test_reports_add_up_per_file() -> None:
    first, second = ImportReport(), ImportReport()
    first.counts("users.jsonl", "users").loaded = 2
    first.reject("videos.jsonl", "videos", 3, "unknown creator 'a9'")
    second.counts("users.jsonl", "users").already_present = 2
    second.counts("interactions.csv", "interactions").loaded = 5
    total = first + second
    assert total.files == {
        "users.jsonl": FileCounts("users", loaded=2, already_present=2),
        "videos.jsonl": FileCounts("videos", rejected=1),
        "interactions.csv": FileCounts("interactions", loaded=5),
    }
    assert total.rejections == [Rejection("videos.jsonl", 3, "unknown creator 'a9'")]
    assert (total.loaded, total.rejected, total.already_present) == (7, 1, 2)
    assert total.by_kind("users") == FileCounts("users", loaded=2, already_present=2)
    assert ImportReport.combine([first, second]) == total
    assert first.files["users.jsonl"].loaded == 2, "merging leaves its inputs alone"
