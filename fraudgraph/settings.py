"""Configuration, read once from the environment or `.env` and passed down.

Neo4j connection variables keep their conventional names (NEO4J_URI, ...); everything
else is prefixed FRAUDGRAPH_. With NEO4J_URI unset the project manages its own server.
The API's tunables are the section `Settings.api` (FRAUDGRAPH_API_*), and its pre-payment
check thresholds `Settings.api.check` (FRAUDGRAPH_CHECK_*): each section reads the same
environment and `.env` under its own prefix when `Settings` is built, so one
`load_settings()` reads everything and create_app takes its section from there.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from fraudgraph.errors import ConfigurationError

DEFAULT_PSEUDONYM_KEY = "fraudgraph-development-key-do-not-deploy"
REPO_ROOT = Path(__file__).resolve().parent.parent


def default_var_dir() -> Path:
    """Where generated data, stores and builds go unless FRAUDGRAPH_VAR_DIR says: `var/`
    of the source checkout (an editable install), else `var/` of the working directory,
    never beside an installed package in site-packages."""
    if (REPO_ROOT / "pyproject.toml").is_file():
        return REPO_ROOT / "var"
    return Path.cwd() / "var"


class CheckThresholds(BaseSettings):
    """Everything the pre-payment decision rule (api/decision.py) compares against."""

    model_config = SettingsConfigDict(env_prefix="FRAUDGRAPH_CHECK_", env_file=".env",
                                      extra="ignore")

    # Stored risk (0..1, written by the risk engine) of the payee / payer.
    payee_block_risk: float = Field(0.85, ge=0, le=1)
    payee_review_risk: float = Field(0.6, ge=0, le=1)
    payer_review_risk: float = Field(0.6, ge=0, le=1)
    # Live session signals and how much each adds to the score (noisy-OR).
    sim_change_window_s: int = Field(48 * 3600, ge=0)
    new_device_window_s: int = Field(24 * 3600, ge=0)
    inbound_window_s: int = Field(2 * 3600, ge=0)
    inbound_min_ratio: float = Field(0.5, ge=0)
    weight_sim_change: float = Field(0.35, ge=0, le=1)
    weight_new_device: float = Field(0.25, ge=0, le=1)
    weight_inbound_interbank: float = Field(0.30, ge=0, le=1)
    weight_first_payment: float = Field(0.10, ge=0, le=1)
    weight_unknown_payee: float = Field(0.05, ge=0, le=1)
    # Final score -> decision.
    review_score: float = Field(0.5, ge=0, le=1)
    block_score: float = Field(0.85, ge=0, le=1)


class ApiConfig(BaseSettings):
    """The API's tunables (FRAUDGRAPH_API_*); its check thresholds are FRAUDGRAPH_CHECK_*."""

    model_config = SettingsConfigDict(env_prefix="FRAUDGRAPH_API_", env_file=".env",
                                      extra="ignore")

    # Seconds a key lookup stays cached: the hot path pays no DB round trip for auth;
    # a revocation through the CLI takes effect within this time.
    key_cache_ttl_s: float = Field(30.0, ge=0)
    # The audit trail is a hash chain in Neo4j (api/audit.py). Set, each process also
    # writes its events to <audit_dir>/audit-YYYY-MM-DD.jsonl (a local copy).
    audit_dir: Path | None = None
    # Returned as Retry-After with every 503.
    retry_after_s: int = Field(5, ge=1)
    # Money trace of an incident.
    trace_window_s: int = Field(7 * 86400, ge=3600)
    trace_max_hops: int = Field(5, ge=1, le=10)
    trace_max_edges: int = Field(5000, ge=10)
    # Neo4j connection pool of the async driver.
    max_pool: int = Field(100, ge=1)
    # Largest request body; larger ones are refused (413) before they are read, and no
    # body is read before the key is checked (api/guard.py).
    max_body_bytes: int = Field(256 * 1024, ge=1024)
    # The driver's connection acquisition timeout: long enough for a connection to a
    # just-restarted, slow server to be opened and authenticated (cut shorter, every
    # attempt is abandoned and the API never gets back in). Every graph round trip is
    # bounded as a whole by `neo4j_timeout_s` (then 503): room for a query's first
    # planning on a cold server.
    neo4j_acquire_s: float = Field(5.0, gt=0)
    neo4j_timeout_s: float = Field(10.0, gt=0)
    # The check's own bound (its one read, and the key look-up of a key not in the cache),
    # and /ready's probe: a load balancer and a paying customer do not wait 10 s. 2 s is
    # the target under an outage; the default leaves room for the first planning of the
    # check on a cold, loaded server (on a 2-core box shared with others it exceeded 2 s).
    check_timeout_s: float = Field(5.0, gt=0)
    # Per-key rate limits (requests/s sustained, burst): the check (and screening), the
    # identifier lookup (it turns raw identifiers into pseudonyms: kept slow), the rest.
    rate_check_per_s: float = Field(2000.0, gt=0)
    rate_check_burst: float = Field(4000.0, ge=1)
    rate_lookup_per_s: float = Field(2.0, gt=0)
    rate_lookup_burst: float = Field(30.0, ge=1)
    rate_default_per_s: float = Field(50.0, gt=0)
    rate_default_burst: float = Field(200.0, ge=1)
    # Identical error lines logged at most this often (seconds) per message; the rest are
    # counted and the count is logged with the next one.
    error_log_interval_s: float = Field(10.0, ge=0)
    # Weight of an incident's beneficiary at another bank than the reporter, until the
    # AFC confirms the incident (POST /v1/incidents/{id}/confirm).
    unconfirmed_foreign_seed_weight: float = Field(0.3, ge=0, le=1)
    check: CheckThresholds = Field(default_factory=CheckThresholds)


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
    # The server builds (dist_dir, kafka_dist_dir) stay put when var_dir moves, so the
    # test instance under var/test reuses the builds of var/.
    var_dir: Path = Field(default_factory=default_var_dir)
    dist_dir: Path = Field(default_factory=lambda: default_var_dir() / "dist")
    bolt_port: int = 7687
    http_port: int = 7474
    heap_size: str = "3g"
    pagecache_size: str = "4g"
    java_home: Path | None = None
    start_timeout_s: float = 180.0
    # A JVM class archive under <var_dir>/neo4j/run: a restart maps the classes the first
    # run loaded instead of loading them again (fraudgraph/class_archive.py). Off: plain JVM.
    neo4j_class_archive: bool = True

    pseudonym_key: SecretStr = SecretStr(DEFAULT_PSEUDONYM_KEY)

    # Loader
    batch_size: int = 10000
    # Concurrent write transactions for the event feeds (FRAUDGRAPH_LOAD_WRITERS): two let
    # Neo4j use both cores of this project's machines (bench/load.py --writers).
    load_writers: int = Field(2, ge=1, le=16)

    # Kafka (the live event stream: graph_loader/stream.py). With KAFKA_BOOTSTRAP_SERVERS
    # set, that cluster is used and fraudgraph starts no broker of its own; unset, the
    # project-managed single-node KRaft broker (fraudgraph/kafka_server.py) on these ports.
    kafka_bootstrap_servers: str | None = Field(
        None, validation_alias=AliasChoices("KAFKA_BOOTSTRAP_SERVERS"))
    kafka_port: int = 9092
    kafka_controller_port: int = 9093
    kafka_heap_size: str = "512m"
    kafka_dist_dir: Path = Field(default_factory=lambda: default_var_dir() / "kafka-dist")
    # Partitions of each topic fraudgraph creates (more let more consumers share a feed),
    # and their replication factor (1 on the managed broker; 3 on a real cluster).
    kafka_partitions: int = Field(2, ge=1)
    kafka_replication_factor: int = Field(1, ge=1)
    # The stream consumer: its group, the most events per graph transaction, and the port
    # its Prometheus /metrics (consumer lag) is served on (0: not served).
    stream_group: str = "fraudgraph-stream"
    # Topics are <prefix><feed> and <prefix>dlq: another prefix keeps two environments
    # (or two test runs) apart on one cluster.
    stream_topic_prefix: str = Field("fraudgraph.", pattern=r"^[A-Za-z0-9._-]{1,100}$")
    stream_batch_size: int = Field(500, ge=1, le=100_000)
    stream_metrics_port: int = Field(9308, ge=0, le=65535)
    # A consumer that stops answering loses its partitions to the others after this.
    stream_session_timeout_ms: int = Field(10_000, ge=6000)

    # API
    api_host: str = "127.0.0.1"
    api_port: int = 8000
    # The API's own section (FRAUDGRAPH_API_*, FRAUDGRAPH_CHECK_*), read with the rest.
    api: ApiConfig = Field(default_factory=ApiConfig)

    @field_validator("var_dir", "dist_dir", "kafka_dist_dir", "java_home")
    @classmethod
    def _absolute(cls, v: Path | None) -> Path | None:
        # Neo4j resolves the relative paths of its config against its own home, so a
        # relative var dir (FRAUDGRAPH_VAR_DIR=var/x) gave a second, empty store inside
        # the first one, whose server never answered the password of the first.
        return None if v is None else v.expanduser().absolute()

    @property
    def managed(self) -> bool:
        """True when fraudgraph runs its own Neo4j rather than an existing one."""
        return self.neo4j_uri is None

    @property
    def kafka_managed(self) -> bool:
        """True when fraudgraph runs its own Kafka broker rather than an existing cluster."""
        return self.kafka_bootstrap_servers is None

    @property
    def kafka_bootstrap(self) -> str:
        return self.kafka_bootstrap_servers or f"127.0.0.1:{self.kafka_port}"

    @property
    def kafka_home(self) -> Path:
        return self.var_dir / "kafka"

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
