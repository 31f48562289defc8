// @name world_mark
// @description The world the notebooks loaded (survives reset_data: a Meta node).
// @param key str -- the marker's Meta key
// @param world str -- the world marker
MERGE (m:Meta {key: $key})
SET m.world = $world
