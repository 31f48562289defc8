"""API tunables: pre-payment check thresholds, caches, audit. Read from the environment
(prefix FRAUDGRAPH_API_) only when create_app is not handed one, never at import."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class CheckThresholds(BaseSettings):
    """Everything the pre-payment decision rule (api/decision.py) compares against."""

    model_config = SettingsConfigDict(env_prefix="FRAUDGRAPH_CHECK_", extra="ignore")

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
    model_config = SettingsConfigDict(env_prefix="FRAUDGRAPH_API_", extra="ignore")

    # Seconds a key lookup stays cached: the hot path pays no DB round trip for auth;
    # a revocation through the CLI takes effect within this time.
    key_cache_ttl_s: float = Field(30.0, ge=0)
    # None: <var_dir>/audit.
    audit_dir: Path | None = None
    # Returned as Retry-After with every 503.
    retry_after_s: int = Field(5, ge=1)
    # Money trace of an incident.
    trace_window_s: int = Field(7 * 86400, ge=3600)
    trace_max_hops: int = Field(5, ge=1, le=10)
    trace_max_edges: int = Field(5000, ge=10)
    # Neo4j connection pool of the async driver.
    max_pool: int = Field(100, ge=1)
    check: CheckThresholds = Field(default_factory=CheckThresholds)
