// @name key_revoke
// @description Revoke an API key; revoking twice keeps the first revocation's time and author.
// @param id str required -- the key's id
// @param now str required -- ISO time of the revocation
// @param by str required -- who revoked it
MATCH (k:ApiKey {id: $id})
SET k.revoked = true, k.revoked_at = coalesce(k.revoked_at, $now),
    k.revoked_by = coalesce(k.revoked_by, $by)
RETURN k.id AS id, k.hash AS hash
