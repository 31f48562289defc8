MATCH (k:ApiKey {hash: $hash})
RETURN k.id AS id, k.role AS role, k.bank AS bank, coalesce(k.revoked, false) AS revoked
