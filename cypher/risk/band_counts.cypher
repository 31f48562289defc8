// @name band_counts
// @description How many entities of each label fall in each risk band.
MATCH (n) WHERE n.risk_band IS NOT NULL
RETURN labels(n)[0] AS label, n.risk_band AS band, count(*) AS c
ORDER BY label, band
