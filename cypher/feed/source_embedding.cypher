// Candidate source embedding: nearest videos to the vector of the viewer in the video
// vector index (random-walk embeddings, see graph.embed).
// Returns: videoId, score (index similarity), reason (map: similarity).
// Parameters: $indexName (string, the video vector index); $vector (list of floats,
// the stored embedding of the viewer or a fold-in); $k (int, neighbours asked of the index);
// $userId (string); $now (epoch ms); $limit (int).
// Used by: graph.feed.sources (mode FOR_YOU), after feed/vector_index says it exists.
MATCH (u:User {id: $userId})
CALL db.index.vector.queryNodes($indexName, $k, $vector) YIELD node, score
WITH u, node AS v, score
WHERE v.createdAt <= $now AND coalesce(v.status, 'active') = 'active'
  AND NOT EXISTS { (u)-[:VIEWED|SERVED|SKIPPED|LIKED]->(v) }
RETURN v.id AS videoId, score, {similarity: score} AS reason
ORDER BY score DESC, videoId
LIMIT $limit
