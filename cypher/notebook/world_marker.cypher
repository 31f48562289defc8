// @name world_marker
// @description The world the notebooks last loaded, if any.
// @param key str -- the marker's Meta key
OPTIONAL MATCH (m:Meta {key: $key})
RETURN m.world AS world
