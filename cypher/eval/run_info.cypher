// @name run_info
// @description A detect run's window, status and parameters, for its evaluation.
// @param id str -- the detect run
MATCH (r:DetectRun {id: $id})
RETURN r.as_of AS as_of, r.window_s AS window_s, r.status AS status, r.params AS params
