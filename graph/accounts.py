"""Sign-up: a new person enters the graph through the API, with a name and first interests.

Registration is idempotent on the user id: a retried sign-up (a timeout, a double tap)
finds the user the first attempt made and changes nothing. An id that is already taken
by someone else (another name, or a user loaded by ``fyp import``) is refused, so two
people never become one. The interests seed the cold-start feed (the ``interests``
setting, graph/settings_store.py) until the person's own history takes over.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from neo4j.exceptions import ConstraintError

from graph.db import AsyncGraph, Record
from graph.errors import ClientError
from graph.settings_store import clean_interests

MAX_USER_ID = 64
MAX_NAME = 80
#: Letters, digits and ``. _ - : @``, starting with a letter or digit. No ``/``: stored
#: event ids are ``<userId>/<eventId>``, so a ``/`` in an id could make two people's
#: events collide; no spaces, so that ids survive URLs, logs and CSV files unquoted.
USER_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:@-]*")
USER_ID_RULE = (
    f"a user id is 1 to {MAX_USER_ID} characters: letters, digits and . _ - : @, "
    "starting with a letter or digit"
)
NAME_RULE = f"a name is 1 to {MAX_NAME} characters of text, with no control characters"


def check_user_id(user_id: str) -> str:
    """The id as given, or ``ClientError`` naming the rule it broke."""
    if len(user_id) > MAX_USER_ID or not USER_ID_PATTERN.fullmatch(user_id):
        raise ClientError(f"Bad `userId` {user_id[: MAX_USER_ID + 8]!r}: {USER_ID_RULE}.")
    return user_id


def clean_name(name: str) -> str:
    """The display name trimmed (Unicode NFC), or ``ClientError`` naming the rule."""
    cleaned = unicodedata.normalize("NFC", name.strip())
    control = any(unicodedata.category(char).startswith("C") for char in cleaned)
    if not cleaned or len(cleaned) > MAX_NAME or control:
        raise ClientError(f"Bad `name`: {NAME_RULE}.")
    return cleaned


@dataclass(frozen=True)
class Registration:
    """The user a sign-up found or made."""

    user: Record  # as api/users_by_id returns it
    interests: tuple[str, ...]
    created: bool


async def register_user(
    graph: AsyncGraph, user_id: str, name: str, interests: Sequence[str], now_ms: int
) -> Registration:
    """Create the user ``user_id``, or find the one an earlier attempt created.

    Raises ``ClientError`` for an id or name that breaks the rules (nothing written) and
    for an id already held by someone else.
    """
    user_id = check_user_id(user_id)
    name = clean_name(name)
    picked = clean_interests(interests)
    params: dict[str, Any] = {
        "userId": user_id,
        "displayName": name,
        "interests": picked,
        "now": now_ms,
    }
    try:
        result = await graph.write("api/register_user", **params)
    except ConstraintError:
        # Another sign-up of the same id committed between our match and our merge.
        result = await graph.write("api/register_user", **params)
    row = result.records[0]
    user = row["user"]
    if not row["created"] and user.get("name") != name:
        raise ClientError(
            f"The user id {user_id!r} is taken; sign up with another id "
            "(a retried sign-up must repeat the same name)."
        )
    return Registration(user=user, interests=tuple(row["interests"] or ()), created=row["created"])
