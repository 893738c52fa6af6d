"""The one codec behind every opaque page cursor (feed, brand listings, API connections).

A cursor is a JSON value, optionally zlib-compressed, in URL-safe base64 without
padding: opaque to clients, safe in URLs and query strings. Each kind of cursor checks
the decoded value's shape itself and says, in its own words, what to send instead.
"""

from __future__ import annotations

import base64
import binascii
import json
import zlib
from typing import Any

#: Everything a malformed or foreign cursor can raise while being decoded.
MALFORMED = (ValueError, TypeError, KeyError, AttributeError, binascii.Error, zlib.error)


def encode(value: Any, *, compress: bool = False) -> str:
    raw = json.dumps(value, separators=(",", ":")).encode("utf-8")
    if compress:
        raw = zlib.compress(raw)
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode(text: str, *, compressed: bool = False) -> Any:
    """The JSON value of a cursor; raises one of :data:`MALFORMED` for anything else."""
    raw = base64.urlsafe_b64decode((text + "=" * (-len(text) % 4)).encode("ascii"))
    return json.loads(zlib.decompress(raw) if compressed else raw)
