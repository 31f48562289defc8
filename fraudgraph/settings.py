"""Configuration, read once from the environment or `.env` and passed down.

Neo4j connection variables keep their conventional names (NEO4J_URI, ...); everything
else is prefixed FRAUDGRAPH_. With NEO4J_URI unset the project manages its own server.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from fraudgraph.errors import ConfigurationError

DEFAULT_PSEUDONYM_KEY = "fraudgraph-development-key-do-not-deploy"
REPO_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="FRAUDGRAPH_", env_file=".env", extra="ignore", populate_by_name=True
    )

    env: Literal["development", "test", "production"] = "development"

    # An existing Neo4j; when neo4j_uri is None the project-managed local server is used.
    neo4j_uri: str | None = Field(None, validation_alias=AliasChoices("NEO4J_URI"))
    neo4j_user: str = Field("neo4j", validation_alias=AliasChoices("NEO4J_USER"))
    neo4j_password: SecretStr | None = Field(
        None, validation_alias=AliasChoices("NEO4J_PASSWORD")
    )
    neo4j_database: str = Field("neo4j", validation_alias=AliasChoices("NEO4J_DATABASE"))

    # The project-managed server.
    var_dir: Path = REPO_ROOT / "var"
    dist_dir: Path = REPO_ROOT / "var" / "dist"
    bolt_port: int = 7687
    http_port: int = 7474
    heap_size: str = "3g"
    pagecache_size: str = "4g"
    java_home: Path | None = None
    start_timeout_s: float = 180.0

    pseudonym_key: SecretStr = SecretStr(DEFAULT_PSEUDONYM_KEY)

    # Loader
    batch_size: int = 10000
    # Concurrent write transactions for the event feeds (FRAUDGRAPH_LOAD_WRITERS): two let
    # Neo4j use both cores of this project's machines (bench/load.py --writers).
    load_writers: int = Field(2, ge=1, le=16)

    # API
    api_host: str = "127.0.0.1"
    api_port: int = 8000

    @property
    def managed(self) -> bool:
        """True when fraudgraph runs its own Neo4j rather than an existing one."""
        return self.neo4j_uri is None

    @property
    def neo4j_home(self) -> Path:
        return self.var_dir / "neo4j"

    @property
    def password_file(self) -> Path:
        return self.neo4j_home / "password"

    @property
    def local_uri(self) -> str:
        return f"neo4j://127.0.0.1:{self.bolt_port}"

    def check_deployable(self) -> None:
        """Refuse to run outside development with the well-known default key."""
        if self.env == "production" and self.pseudonym_key.get_secret_value() in (
            DEFAULT_PSEUDONYM_KEY,
            "",
        ):
            raise ConfigurationError(
                "FRAUDGRAPH_PSEUDONYM_KEY is the development default; set a secret key "
                "before running with FRAUDGRAPH_ENV=production"
            )


def load_settings(**overrides: object) -> Settings:
    settings = Settings(**overrides)  # type: ignore[arg-type]
    settings.check_deployable()
    return settings
