// The stored CO_ENGAGED neighbours of some videos, closest first (what the batch job
// wrote; for inspection and tests).
// Returns: videoId, neighbourId, score, viewers, rank, computedAt.
// Parameters: $videoIds (list of video ids).
// Used by: tests of graph.precompute.co_engagement; `fyp query`-style inspection.
UNWIND $videoIds AS videoId
MATCH (v:Video {id: videoId})-[c:CO_ENGAGED]->(n:Video)
RETURN v.id AS videoId, n.id AS neighbourId, c.score AS score, c.viewers AS viewers,
       c.rank AS rank, c.computedAt AS computedAt
ORDER BY videoId, rank
