"""API keys as the driver sees them (tests/fakes.py, no server): the bank is checked on a
reader before the key is written, and only the token's hash is ever sent."""

from __future__ import annotations

import pytest

from api.errors import Unprocessable
from api.keys import create_key, cypher, hash_token, schema_statements
from tests.fakes import READ, WRITE, FakeDriver

DB = "fraud"


def test_a_bank_key_checks_the_bank_on_a_reader_and_stores_only_the_hash() -> None:
    driver = FakeDriver()
    driver.on(cypher("bank_exists"), lambda c: [{"known": c.parameters["bank"] == "KASPI"}])
    key_id, token = create_key(driver, DB, "bank", "KASPI")
    sent = [(c.query, c.access_mode) for c in driver.calls]
    assert sent == [*((s, WRITE) for s in schema_statements()),
                    (cypher("bank_exists"), READ), (cypher("key_create"), WRITE)]
    assert {c.database for c in driver.calls} == {DB}
    written = driver.calls[-1].parameters
    assert (written["id"], written["hash"], written["bank"]) == (key_id, hash_token(token),
                                                                 "KASPI")
    assert all(token not in repr(c.parameters) for c in driver.calls)

    # An unknown bank stops before the write.
    refused = FakeDriver()
    with pytest.raises(Unprocessable):
        create_key(refused, DB, "bank", "HALYK")
    assert refused.queries(cypher("key_create")) == []
