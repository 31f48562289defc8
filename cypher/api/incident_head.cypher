// Who reported an incident and whether it is still in force (retraction, confirmation).
MATCH (i:Incident {id: $id})
RETURN i.reporter AS reporter, i.retracted_at IS NOT NULL AS retracted,
       coalesce(i.confirmed, true) AS confirmed
