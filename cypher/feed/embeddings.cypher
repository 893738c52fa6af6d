// The stored embeddings of a few videos (for MMR diversity between page candidates).
// Returns: videoId, embedding (list of floats); videos without one are left out.
// Parameters: $videoIds (list of strings).
// Used by: graph.feed.engine (diversify stage, for the best-scored pool only).
UNWIND $videoIds AS videoId
MATCH (v:Video {id: videoId})
WHERE v.embedding IS NOT NULL
RETURN v.id AS videoId, v.embedding AS embedding
