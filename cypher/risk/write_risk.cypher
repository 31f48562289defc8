// Write-back of the combined risk; $label is chosen from a fixed list in Python, so the
// statement text comes from one of four literal variants (see gnn/risk_engine.py).
UNWIND $rows AS r
MATCH (n:__LABEL__ {id: r.id})
SET n.prop_score = r.prop, n.risk = r.risk, n.risk_band = r.band, n.risk_drivers = r.drivers,
    n.risk_updated_at = datetime()
