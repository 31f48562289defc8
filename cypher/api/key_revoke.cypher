MATCH (k:ApiKey {id: $id})
SET k.revoked = true, k.revoked_at = coalesce(k.revoked_at, $now),
    k.revoked_by = coalesce(k.revoked_by, $by)
RETURN k.id AS id, k.hash AS hash
