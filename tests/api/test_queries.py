"""GET /v1/queries and POST /v1/queries/{name} (the cypher.library queries)."""

from __future__ import annotations

import pytest

from api.errors import NotFound
from api.querylib import LibraryCatalogue
from tests.api.conftest import Api
from tests.api.world import IBAN


def test_the_library_is_listed_with_parameters(api: Api) -> None:
    qs = {q["name"]: q for q in api.get("/v1/queries").json()}
    assert {"timeline", "neighbourhood"} <= set(qs)
    params = {p["name"]: p for p in qs["timeline"]["params"]}
    assert params["id"]["required"] is True and qs["timeline"]["returns"] == "rows"


def test_run_a_row_query_with_a_raw_id(api: Api) -> None:
    r = api.post("/v1/queries/timeline", json={"params": {"id": IBAN["mule1"]}})
    assert r.status_code == 200, r.text
    b = r.json()
    mule1 = api.pseudo("account", IBAN["mule1"])
    assert b["params"]["id"] == mule1  # pseudonymised on entry
    refs = [row["ref"] for row in b["rows"]]
    assert {"t1", "t2", "t3", "inc-1"} <= set(refs)
    assert IBAN["mule1"] not in r.text


def test_run_a_graph_query(api: Api) -> None:
    mule1 = api.pseudo("account", IBAN["mule1"])
    b = api.post("/v1/queries/neighbourhood",
                 json={"params": {"id": mule1, "hops": 1}}).json()
    assert b["returns"] == "graph" and b["rows"] is None
    ids = {n["id"] for n in b["nodes"]}
    assert {mule1, api.pseudo("account", IBAN["mule2"])} <= ids


def test_unknown_queries_and_bad_parameters(api: Api) -> None:
    assert api.post("/v1/queries/no_such_query", json={"params": {}}).status_code == 404
    r = api.post("/v1/queries/timeline", json={"params": {"idx": "x"}})
    assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"
    assert api.post("/v1/queries/timeline", json={"params": {}}).status_code == 422
    r = api.post("/v1/queries/neighbourhood", json={"params": {"id": "x", "hops": 99}})
    assert r.status_code == 422
    assert api.post("/v1/queries/Bad-Name", json={"params": {}}).status_code == 422


def test_without_a_library_the_catalogue_is_empty(api: Api) -> None:
    empty = LibraryCatalogue(None)
    assert empty.describe() == []
    with pytest.raises(NotFound):
        empty.prepare("timeline", {}, api.pseudo)
