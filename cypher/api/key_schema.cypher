// @name key_schema
// @description API keys' constraints (api/keys.py): unique id, unique hash.
//
// Only the sha256 of a key is stored; the key itself is shown once.
CREATE CONSTRAINT api_key_id IF NOT EXISTS FOR (k:ApiKey) REQUIRE k.id IS UNIQUE;
CREATE CONSTRAINT api_key_hash IF NOT EXISTS FOR (k:ApiKey) REQUIRE k.hash IS UNIQUE
