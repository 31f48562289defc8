// @name incident_head
// @description Who reported an incident and whether it is still in force (retraction,
// @description confirmation).
// @param id str required -- the incident
MATCH (i:Incident {id: $id})
RETURN i.reporter AS reporter, i.retracted_at IS NOT NULL AS retracted,
       coalesce(i.confirmed, true) AS confirmed
