"""A small ring with bystanders, shared by the query-library tests."""

from __future__ import annotations

from neo4j import Driver

from tests.cypher.conftest import DAY, HOUR, T0, Builder

T = T0 + 5 * DAY


def build_ring(driver: Driver, database: str) -> None:
    g = Builder()
    g.account("acc_1", "per_1", bank="KASPI", opened_ts=T0 - 100 * DAY)
    g.account("acc_2", "per_2", bank="HALYK")
    g.account("acc_3", "per_3", bank="FORTE")
    g.account("acc_4", "per_1", bank="FORTE")  # per_1's second account
    g.account("acc_x", "per_4")
    g.account("acc_shop", "per_shop", kind="merchant")
    g.login("acc_1", "dev_1", T - DAY)
    g.login("acc_2", "dev_1", T - 2 * DAY)
    g.login("acc_3", "dev_2", T - DAY)
    g.sim("per_1", "pho_1", T - 50 * DAY)
    g.sim("per_2", "pho_1", T - 40 * DAY)
    g.sim("per_3", "pho_2", T - 300 * DAY)
    g.transfer("acc_1", "acc_2", 100_000, T, tx_id="tx_12")
    g.transfer("acc_2", "acc_3", 90_000, T + HOUR, tx_id="tx_23")
    g.transfer("acc_3", "acc_1", 80_000, T + 2 * HOUR, tx_id="tx_31")
    g.transfer("acc_1", "acc_shop", 5_000, T + 3 * HOUR, tx_id="tx_1s")
    g.transfer("acc_x", "acc_shop", 5_000, T + 3 * HOUR, tx_id="tx_xs")
    g.transfer("acc_x", "acc_1", 1_000, T - 40 * DAY, tx_id="tx_x1")
    g.call("pho_3", "pho_4", T - DAY, duration_s=120)
    g.incident("inc_1", "acc_x", ["acc_1"], reported_ts=T + DAY, occurred_ts=T - 40 * DAY,
               caller="pho_3")
    g.list_entry("le_1", "account", "acc_3", since_ts=T - 10 * DAY)
    g.commit(driver, database)
