"""API tunables: pre-payment check thresholds, caches, audit. They are a section of the
one `Settings` (fraudgraph/settings.py, `Settings.api`), read with it from the
environment or `.env` (prefixes FRAUDGRAPH_API_ and FRAUDGRAPH_CHECK_); the names stay
importable from here, where the API's code looks for them."""

from __future__ import annotations

from fraudgraph.settings import ApiConfig as ApiConfig
from fraudgraph.settings import CheckThresholds as CheckThresholds
