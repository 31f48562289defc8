// @name world_held
// @description The notebooks' world marker and the counts that show the graph still holds it.
// @param key str -- the marker's Meta key
OPTIONAL MATCH (m:Meta {key: $key})
RETURN m.world AS world, COUNT { (:Account) } AS accounts,
       COUNT { ()-[:TRANSFERRED]->() } AS transfers
