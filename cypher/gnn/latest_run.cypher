// @name latest_run
// @description The latest detect run, whose signals the export reads (gnn/snapshot/export.py).
MATCH (d:DetectRun) WHERE d.latest = true
RETURN d.id AS id ORDER BY d.id DESC LIMIT 1
