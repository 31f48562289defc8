// @name world_read
// @description Which world the API bench graph holds (bench/api_service.py).
OPTIONAL MATCH (m:Meta {key: 'bench-api-world'})
RETURN m.world AS w
