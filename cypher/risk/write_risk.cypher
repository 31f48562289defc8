// @name write_risk
// @description Write-back of the combined risk (propagation score, risk, band, drivers) of
// @description entities of one label.
// @template LABEL -- the entities' label, from a fixed list in gnn/propagation/engine.py
// @param rows list[map] required -- {id, prop, risk, band, drivers}
//
// $$LABEL$$ is chosen from a fixed list in Python, so the statement text is one of four
// literal variants (see gnn/propagation/engine.py).
UNWIND $rows AS r
MATCH (n:$$LABEL$$ {id: r.id})
SET n.prop_score = r.prop, n.risk = r.risk, n.risk_band = r.band, n.risk_drivers = r.drivers,
    n.risk_updated_at = datetime()
