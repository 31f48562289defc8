// @name world_mark
// @description The world the API bench graph now holds.
// @param w str -- the world directory
MERGE (m:Meta {key: 'bench-api-world'})
SET m.world = $w
