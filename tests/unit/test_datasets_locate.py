"""Finding KuaiRand beside a checkout, inside it, or where FYP_KUAIRAND says."""

from __future__ import annotations

from pathlib import Path

from graph.datasets.locate import RELATIVE, find_kuairand


def dataset_at(root: Path) -> Path:
    folder = root / RELATIVE
    (folder / "processed").mkdir(parents=True)
    return folder


def test_found_next_to_the_checkout_from_deep_inside_it(tmp_path: Path) -> None:
    expected = dataset_at(tmp_path)
    start = tmp_path / "repo" / "tests" / "integration"
    start.mkdir(parents=True)
    assert find_kuairand(start) == expected


def test_the_override_wins_and_a_wrong_override_falls_back(tmp_path: Path) -> None:
    beside = dataset_at(tmp_path / "a")
    elsewhere = dataset_at(tmp_path / "b")
    assert find_kuairand(tmp_path / "a", str(elsewhere)) == elsewhere
    assert find_kuairand(tmp_path / "a", str(tmp_path / "nothing")) == beside


def test_a_folder_without_processed_data_is_not_the_dataset(tmp_path: Path) -> None:
    (tmp_path / RELATIVE).mkdir(parents=True)
    found = find_kuairand(tmp_path)
    # An ancestor of tmp_path may hold the real dataset on a developer's machine.
    assert found is None or not found.is_relative_to(tmp_path)
