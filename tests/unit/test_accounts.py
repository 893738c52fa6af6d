"""Sign-up's rules for ids and names (graph/accounts.py); registration itself is tested
through the API on the real Neo4j (tests/api/test_api_accounts.py)."""

from __future__ import annotations

import pytest

from graph.accounts import MAX_NAME, MAX_USER_ID, check_user_id, clean_name
from graph.errors import ClientError


@pytest.mark.parametrize(
    "user_id", ["u1", "alice", "a.b_c-d", "42", "user:7", "x@example.org", "A" * MAX_USER_ID]
)
def test_good_ids_pass_unchanged(user_id: str) -> None:
    assert check_user_id(user_id) == user_id


@pytest.mark.parametrize(
    "user_id",
    [
        "",
        " ",
        "a/b",  # stored event ids are <userId>/<eventId>
        "two words",
        " padded",
        "-leading",
        ".hidden",
        "tab\there",
        "emoji😀",
        "A" * (MAX_USER_ID + 1),
    ],
)
def test_bad_ids_name_the_rule(user_id: str) -> None:
    with pytest.raises(ClientError, match="a user id is 1 to 64 characters"):
        check_user_id(user_id)


def test_names_are_trimmed_and_normalised() -> None:
    assert clean_name("  Zoë  ") == "Zoë"
    assert clean_name("Zoe\u0308") == "Zoë"  # decomposed: one form, whatever the keyboard
    assert clean_name("李小龍") == "李小龍"
    assert clean_name("N" * MAX_NAME) == "N" * MAX_NAME


@pytest.mark.parametrize("name", ["", "   ", "bell\x07", "line\nbreak", "N" * (MAX_NAME + 1)])
def test_bad_names_name_the_rule(name: str) -> None:
    with pytest.raises(ClientError, match="a name is 1 to 80 characters"):
        clean_name(name)
