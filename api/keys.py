"""API keys: long random tokens, stored only as sha256 (a fast hash is enough for 256-bit
random secrets), each with a role and, for banks, the bank code it speaks for.

The sync functions here serve the CLI (`fraudgraph keys ...`); the API reads keys through
auth.KeyCache with its async driver.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal, get_args

from neo4j import Driver

from api.db import cypher
from api.errors import Unprocessable
from graph_loader import fields as F
from graph_loader.errors import FieldError

Role = Literal["afc_analyst", "bank", "admin"]
ROLES: tuple[str, ...] = get_args(Role)
TOKEN_PREFIX = "fgk_"


@dataclass(frozen=True)
class Principal:
    """Who is calling: the key id (never the key), role and bank."""

    key_id: str
    role: str
    bank: str | None


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def new_token() -> tuple[str, str]:
    """(key id, token). The id is public (audit, lists); the token is the secret."""
    key_id = "key_" + secrets.token_hex(6)
    return key_id, f"{TOKEN_PREFIX}{secrets.token_urlsafe(32)}"


def validate_role_bank(role: str, bank: str | None) -> tuple[str, str | None]:
    """A bank key must name its bank; an analyst may name one (seconded from it); an
    admin key is the AFC's own and names none (a bank-bound admin would hold every
    bank's evidence under one bank's name). Whether the bank exists is `bank_known`."""
    if role not in ROLES:
        raise Unprocessable(f"role must be one of: {', '.join(ROLES)}", field="role")
    if bank is None or bank == "":
        if role == "bank":
            raise Unprocessable("a key of role 'bank' needs a bank code", field="bank")
        return role, None
    if role == "admin":
        raise Unprocessable("an admin key belongs to the AFC, not to a bank: no bank code",
                            field="bank")
    try:
        return role, F.bank_code(bank)
    except FieldError as e:
        raise Unprocessable(str(e), field="bank") from None


UNKNOWN_BANK = "unknown bank code: no participant bank {bank} is loaded (banks feed)"


def bank_known(driver: Driver, database: str, bank: str) -> bool:
    recs, _, _ = driver.execute_query(cypher("bank_exists"), {"bank": bank},
                                      database_=database, routing_="r")
    return bool(recs and recs[0]["known"])


def key_params(role: str, bank: str | None, created_by: str) -> tuple[str, dict[str, Any]]:
    """(token, parameters of key_create.cypher) for a new key."""
    role, bank = validate_role_bank(role, bank)
    key_id, token = new_token()
    params = {"id": key_id, "hash": hash_token(token), "role": role, "bank": bank,
              "created_at": datetime.now(UTC).isoformat(), "created_by": created_by}
    return token, params


def schema_statements() -> list[str]:
    text = "\n".join(ln for ln in cypher("key_schema").splitlines()
                     if not ln.strip().startswith("//"))
    return [s.strip() for s in text.split(";") if s.strip()]


def create_key(driver: Driver, database: str, role: str, bank: str | None,
               created_by: str = "cli") -> tuple[str, str]:
    """Create a key; returns (key id, token). The token is not stored anywhere."""
    for stmt in schema_statements():
        driver.execute_query(stmt, database_=database)
    token, params = key_params(role, bank, created_by)
    if params["bank"] is not None and not bank_known(driver, database, params["bank"]):
        raise Unprocessable(UNKNOWN_BANK.format(bank=params["bank"]), field="bank")
    driver.execute_query(cypher("key_create"), params, database_=database)
    return params["id"], token


def list_keys(driver: Driver, database: str) -> list[dict[str, Any]]:
    recs, _, _ = driver.execute_query(cypher("key_list"), database_=database, routing_="r")
    return [r.data() for r in recs]


def revoke_key(driver: Driver, database: str, key_id: str, by: str = "cli") -> bool:
    recs, _, _ = driver.execute_query(
        cypher("key_revoke"), {"id": key_id, "now": datetime.now(UTC).isoformat(), "by": by},
        database_=database)
    return bool(recs)
