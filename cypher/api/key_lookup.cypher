// @name key_lookup
// @description The API key with this hash, to authenticate a request.
// @param hash str required -- sha256 of the presented key
MATCH (k:ApiKey {hash: $hash})
RETURN k.id AS id, k.role AS role, k.bank AS bank, coalesce(k.revoked, false) AS revoked
