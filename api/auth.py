"""Who is calling: API keys or bearer tokens with roles, checked on every personal field.

Keys are configured at startup, from a JSON file and/or ``FYP_API_KEYS``::

    {"keys": [
      {"name": "web-backend", "role": "service", "key": "s3cret..."},
      {"name": "alice-phone", "role": "viewer", "user": "u42", "sha256": "9f86d0..."}
    ]}

``sha256`` (hex digest of the key) keeps plain keys out of the file. Clients send
``Authorization: Bearer <key>`` or ``X-API-Key: <key>``. Roles:

- ``viewer``: one person, bound to ``user``; reads its own feed and data, writes its own events.
- ``service``: a backend acting for any user (says which with ``userId``).
- ``analyst`` / ``brand``: the public catalogue and trends; no person's data.
- ``admin``: everything.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from api.errors import Forbidden, Unauthenticated
from graph.errors import ClientError


class Role(StrEnum):
    VIEWER = "viewer"
    SERVICE = "service"
    ANALYST = "analyst"
    BRAND = "brand"
    ADMIN = "admin"


# Roles that may read or write a person's data (a viewer only its own).
PERSONAL_DATA_ROLES = frozenset({Role.VIEWER, Role.SERVICE, Role.ADMIN})
DEMO_PREFIX = "demo:"


@dataclass(frozen=True)
class Principal:
    """An authenticated caller. ``name`` is never secret: it labels logs and rate limits."""

    name: str
    role: Role
    user_id: str | None = None

    def acting_user(self, requested: str | None) -> str:
        """The person a personal field reads or writes for, or FORBIDDEN / BAD_INPUT."""
        if self.role not in PERSONAL_DATA_ROLES:
            raise Forbidden(f"A {self.role.value} key cannot read or write a person's data.")
        if self.role is Role.VIEWER:
            assert self.user_id is not None
            if requested is not None and requested != self.user_id:
                raise Forbidden("A viewer key acts only for its own user; drop `userId`.")
            return self.user_id
        if requested is not None:
            return requested
        if self.user_id is not None:
            return self.user_id
        raise ClientError(
            f"A {self.role.value} key acts for any user: pass `userId` to say which one."
        )

    def require(self, *roles: Role) -> None:
        if self.role not in roles and self.role is not Role.ADMIN:
            allowed = ", ".join(role.value for role in roles)
            raise Forbidden(f"This field needs one of the roles: {allowed}.")


@dataclass(frozen=True)
class KeyEntry:
    name: str
    role: Role
    user_id: str | None

    def principal(self) -> Principal:
        return Principal(self.name, self.role, self.user_id)


def digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class KeyStore:
    """API keys by their SHA-256, so lookups never compare secrets character by character."""

    def __init__(self, entries: Mapping[str, KeyEntry], demo_logins: bool = False) -> None:
        self._by_digest = dict(entries)
        self.demo_logins = demo_logins

    def __len__(self) -> int:
        return len(self._by_digest)

    @classmethod
    def load(
        cls, file: Path | None = None, inline: str | None = None, demo_logins: bool = False
    ) -> KeyStore:
        entries: dict[str, KeyEntry] = {}
        if file is not None:
            entries.update(_parse_file(file))
        if inline:
            entries.update(_parse_inline(inline))
        return cls(entries, demo_logins)

    def authenticate(self, headers: Mapping[str, str]) -> Principal | None:
        """The caller of a request; ``None`` when it sent no credentials at all."""
        token = _token(headers)
        if token is None:
            return None
        if self.demo_logins and token.startswith(DEMO_PREFIX):
            user_id = token.removeprefix(DEMO_PREFIX).strip()
            if user_id:
                return Principal(f"demo:{user_id}", Role.VIEWER, user_id)
        entry = self._by_digest.get(digest(token))
        if entry is None:
            raise Unauthenticated("The API key is not valid; check the key or ask for a new one.")
        return entry.principal()


def _token(headers: Mapping[str, str]) -> str | None:
    authorization = headers.get("authorization")
    if authorization:
        scheme, _, value = authorization.partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            raise Unauthenticated("Send `Authorization: Bearer <key>` (or `X-API-Key: <key>`).")
        return value.strip()
    key = headers.get("x-api-key")
    return key.strip() if key else None


def _role(value: object, where: str) -> Role:
    try:
        return Role(str(value).lower())
    except ValueError:
        known = ", ".join(role.value for role in Role)
        raise ClientError(f"{where}: unknown role {value!r} (known: {known})") from None


def _entry(name: str, role: Role, user_id: str | None, where: str) -> KeyEntry:
    if role is Role.VIEWER and not user_id:
        raise ClientError(f"{where}: a viewer key needs the user it belongs to")
    return KeyEntry(name, role, user_id or None)


def _parse_file(path: Path) -> Iterable[tuple[str, KeyEntry]]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise ClientError(f"cannot read API keys from {path}: {error}") from error
    rows = document.get("keys") if isinstance(document, dict) else None
    if not isinstance(rows, list):
        raise ClientError(f'{path}: expected {{"keys": [{{"name", "role", "key" | "sha256"}}]}}')
    for number, row in enumerate(rows, start=1):
        where = f"{path} key #{number}"
        if not isinstance(row, dict) or not ("key" in row or "sha256" in row):
            raise ClientError(f"{where}: needs `key` or `sha256`")
        hashed = str(row["sha256"]).lower() if "sha256" in row else digest(str(row["key"]))
        name = str(row.get("name") or f"key{number}")
        user = row.get("user")
        yield hashed, _entry(name, _role(row.get("role"), where), user and str(user), where)


def _parse_inline(inline: str) -> Iterable[tuple[str, KeyEntry]]:
    for number, item in enumerate(filter(None, (p.strip() for p in inline.split(","))), 1):
        where = f"FYP_API_KEYS entry #{number}"
        key, sep, grant = item.partition("=")
        if not sep or not key:
            raise ClientError(f"{where}: expected KEY=ROLE[:USER_ID]")
        role, _, user = grant.partition(":")
        yield digest(key), _entry(f"inline{number}", _role(role, where), user, where)
