// @name device_known
// @description Whether a device pseudonym is a device the graph holds (free text of a
// @description streamed list entry is searched for them: feeds.ShapeContext.device_known).
// @param id id required -- a device pseudonym
OPTIONAL MATCH (d:Device {id: $id})
RETURN d IS NOT NULL AS known
