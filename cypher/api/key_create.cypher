// @name key_create
// @description A new API key; only the sha256 of the key is stored.
// @param id str required -- the key's public id
// @param hash str required -- sha256 of the key
// @param role str required -- the key's role (api/auth.py)
// @param bank str = null -- the bank of a bank-role key
// @param created_at str required -- ISO time
// @param created_by str required -- who made it
CREATE (k:ApiKey {id: $id, hash: $hash, role: $role, bank: $bank, created_at: $created_at,
                  created_by: $created_by, revoked: false})
RETURN k.id AS id
