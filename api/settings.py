"""The API's own knobs, read once at the edge (``fyp serve``, tests, the benchmark).

``FYP_API_*`` environment variables; the database settings stay in
:class:`graph.config.Settings`.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class ApiMode(StrEnum):
    """``dev`` turns on GraphiQL, introspection and demo logins; ``production`` turns them off."""

    DEV = "dev"
    PRODUCTION = "production"


class ApiSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FYP_API_", extra="ignore")

    mode: ApiMode = ApiMode.DEV
    host: str = "127.0.0.1"
    port: int = 8000

    # API keys: a JSON file (see api/auth.py) and/or inline
    # "KEY=ROLE[:USER_ID],KEY2=ROLE..." (handy for containers and tests).
    keys_file: Path | None = None
    keys: SecretStr | None = None
    # Dev only: "Authorization: Bearer demo:<userId>" acts as that viewer (the demo page).
    demo_logins: bool = True

    # Protection.
    max_first: int = 50
    max_depth: int = 10
    max_aliases: int = 15
    max_tokens: int = 2000
    max_batch: int = 5
    #: A request body larger than this is refused (413) before it is parsed.
    max_body_bytes: int = 1024 * 1024
    #: Most a request may cost (api/cost.py: a full feed page is 5, a plain page 2).
    max_cost: float = 25.0
    viewer_rate_per_s: float = 20.0
    key_rate_per_s: float = 500.0

    @property
    def is_dev(self) -> bool:
        return self.mode is ApiMode.DEV

    @property
    def demo_logins_enabled(self) -> bool:
        """Demo logins are refused in production whatever the flag says."""
        return self.is_dev and self.demo_logins

    def warnings(self) -> list[str]:
        """Settings that start but cannot be what the operator meant."""
        found = []
        if not self.is_dev and self.keys is None and self.keys_file is None:
            found.append(
                "production mode with no API keys: every caller is anonymous, so feeds, "
                "events, analytics and brand tools all answer UNAUTHENTICATED; give "
                "--keys FILE (FYP_API_KEYS_FILE) or FYP_API_KEYS."
            )
        return found
