// Alert runs since $since, with the score drift measured at each. Params: $since.
MATCH (r:AlertRun) WHERE r.as_of >= $since
RETURN r.as_of AS as_of, r.psi AS psi, r.model AS model
