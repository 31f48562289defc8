// @name key_list
// @description Every API key (never its hash), oldest first.
MATCH (k:ApiKey)
RETURN k.id AS id, k.role AS role, k.bank AS bank, k.created_at AS created_at,
       k.created_by AS created_by, coalesce(k.revoked, false) AS revoked,
       k.revoked_at AS revoked_at
ORDER BY k.created_at, k.id
