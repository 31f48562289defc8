// @name known_devices
// @description The graph's device pseudonyms.
MATCH (d:Device)
RETURN d.id AS id
