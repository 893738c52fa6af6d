// The stored RECOMMENDED lists of some viewers, best first (what the batch job wrote; for
// inspection and tests).
// Returns: userId, videoId, score, rank, computedAt.
// Parameters: $userIds (list of user ids).
// Used by: tests of graph.precompute.recommendations; inspection.
UNWIND $userIds AS userId
MATCH (u:User {id: userId})-[r:RECOMMENDED]->(v:Video)
RETURN u.id AS userId, v.id AS videoId, r.score AS score, r.rank AS rank,
       r.computedAt AS computedAt
ORDER BY userId, rank
