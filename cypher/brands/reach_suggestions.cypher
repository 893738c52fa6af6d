// The reach optimiser: creators outside a set, by how many engaged viewers they would
// add that no creator of the set reaches yet. Engaged = completed (completion >= 0.95)
// or liked one of the creator's videos.
// Returns: creatorId, name, engagedAudience, addedReach; best first, at most $limit rows.
// Parameters: $creatorIds (list: the set), $candidateIds (list of creator ids to consider,
//   or null for every creator), $limit (int).
// Used by: graph.brands.overlap.audience_overlap (GraphQL audienceOverlap.suggestions).
MATCH (c:Creator)-[:POSTED]->(:Video)<-[r:VIEWED|LIKED]-(u:User)
WHERE NOT c.id IN $creatorIds AND ($candidateIds IS NULL OR c.id IN $candidateIds)
  AND (r:LIKED OR r.completion >= 0.95)
WITH DISTINCT c, u
WITH c, u, EXISTS {
  MATCH (u)-[r:VIEWED|LIKED]->(:Video)<-[:POSTED]-(s:Creator)
  WHERE s.id IN $creatorIds AND (r:LIKED OR r.completion >= 0.95)
} AS reached
WITH c, count(u) AS engagedAudience, sum(CASE WHEN reached THEN 0 ELSE 1 END) AS addedReach
WHERE addedReach > 0
RETURN c.id AS creatorId, c.name AS name, engagedAudience, addedReach
ORDER BY addedReach DESC, engagedAudience DESC, creatorId
LIMIT $limit
