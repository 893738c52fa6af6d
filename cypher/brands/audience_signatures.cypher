// Engaged audiences of a set of creators, compressed: for each combination of the
// creators that some users engaged with, how many users. Engaged = completed
// (completion >= 0.95) or liked one of the creator's videos.
// Returns: creators (list of creator ids, sorted), users (int); one row per combination.
// Parameters: $creatorIds (list of creator ids).
// Used by: graph.brands.overlap.audience_overlap (pairwise overlap and union reach).
UNWIND $creatorIds AS creatorId
MATCH (c:Creator {id: creatorId})-[:POSTED]->(:Video)<-[r:VIEWED|LIKED]-(u:User)
WHERE r:LIKED OR r.completion >= 0.95
WITH DISTINCT c.id AS creatorId, u
ORDER BY creatorId
WITH u, collect(creatorId) AS creators
RETURN creators, count(u) AS users
