// @name monitor_runs
// @description Alert runs since `since`, with the score drift (PSI) measured at each.
// @param since ts required -- epoch seconds
MATCH (r:AlertRun) WHERE r.as_of >= $since
RETURN r.as_of AS as_of, r.psi AS psi, r.model AS model
