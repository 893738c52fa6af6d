// Every video id, sorted: the batches the co-engagement precompute reads and writes.
// Returns: videoId (one row per video).
// Parameters: none.
// Used by: graph.precompute.co_engagement (`fyp precompute`).
MATCH (v:Video)
RETURN v.id AS videoId
ORDER BY videoId
