"""Settings, read once at the edge (CLI / app start) from ``FYP_*`` environment variables.

Nothing inside ``graph/`` reads the environment itself: the CLI and the API build a
:class:`Settings` and pass the pieces down.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

NEO4J_VERSION = "5.26.30"


def _default_home() -> Path:
    return Path.home() / ".local" / "share" / "fyp"


def _default_cache() -> Path:
    return Path.home() / ".cache" / "fyp"


class Settings(BaseSettings):
    """Every knob of the engine, with defaults that work on a laptop."""

    model_config = SettingsConfigDict(env_prefix="FYP_", extra="ignore")

    # Where to find Neo4j. When ``neo4j_uri`` is unset, the project's own local
    # server (``fyp neo4j start``) is used with the password it generated.
    neo4j_uri: str | None = None
    neo4j_user: str = "neo4j"
    neo4j_password: SecretStr | None = None
    neo4j_database: str = "neo4j"
    neo4j_query_timeout_s: float = 30.0

    # The local server: state (data, config, logs, password) and the jar cache.
    home: Path = Field(default_factory=_default_home)
    cache: Path = Field(default_factory=_default_cache)
    neo4j_version: str = NEO4J_VERSION
    neo4j_bolt_port: int = 7687
    # Sized for a 2-core / 24 GB machine that also runs the API and training jobs.
    neo4j_heap: str = "4g"
    neo4j_pagecache: str = "4g"

    @property
    def local_neo4j_home(self) -> Path:
        return self.home / "neo4j"

    @property
    def uses_local_neo4j(self) -> bool:
        return self.neo4j_uri is None
