// Creators whose engaged audience overlaps most with that of one creator (Jaccard).
// Engaged = completed (completion >= 0.95) or liked one of the creator's videos.
// Returns: creatorId, name, sharedAudience, engagedAudience (of the candidate),
//   jaccard; best first, at most $limit rows.
// Parameters: $creatorId (the creator to find lookalikes of), $limit (int).
// Used by: graph.brands.lookalike.lookalike_creators (GraphQL lookalikeCreators).
MATCH (c:Creator {id: $creatorId})
CALL (c) {
  MATCH (c)-[:POSTED]->(:Video)<-[r:VIEWED|LIKED]-(u:User)
  WHERE r:LIKED OR r.completion >= 0.95
  RETURN collect(DISTINCT u) AS audience
}
UNWIND audience AS u
MATCH (u)-[r:VIEWED|LIKED]->(:Video)<-[:POSTED]-(o:Creator)
WHERE o <> c AND (r:LIKED OR r.completion >= 0.95)
WITH size(audience) AS mine, o, count(DISTINCT u) AS shared
CALL (o) {
  MATCH (o)-[:POSTED]->(:Video)<-[r:VIEWED|LIKED]-(u:User)
  WHERE r:LIKED OR r.completion >= 0.95
  RETURN count(DISTINCT u) AS engagedAudience
}
RETURN o.id AS creatorId, o.name AS name, shared AS sharedAudience, engagedAudience,
       toFloat(shared) / (mine + engagedAudience - shared) AS jaccard
ORDER BY jaccard DESC, sharedAudience DESC, creatorId
LIMIT $limit
