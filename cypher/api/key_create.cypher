CREATE (k:ApiKey {id: $id, hash: $hash, role: $role, bank: $bank, created_at: $created_at,
                  created_by: $created_by, revoked: false})
RETURN k.id AS id
