// Videos nearest to the vector of a user in the video_embedding vector index, leaving out
// removed videos, videos the user posted and, when $excludeSeen, videos the user
// already viewed, skipped or marked not-interested.
// Returns: id (string), score (float), best first, at most $k rows.
// Parameters: $userId (string); $vector (list of floats: the stored or folded-in
// embedding); $k (int: hits wanted); $candidates (int: neighbours asked of the index);
// $excludeSeen (bool).
// Used by: graph.embed.similar (nearest_videos_for_user and its async variant).
MATCH (u:User {id: $userId})
CALL db.index.vector.queryNodes('video_embedding', $candidates, $vector) YIELD node, score
WITH u, node, score
WHERE coalesce(node.status, 'active') = 'active'
  AND NOT EXISTS { (u)-[:POSTED]->(node) }
  AND NOT ($excludeSeen AND EXISTS { (u)-[:VIEWED|SKIPPED|NOT_INTERESTED]->(node) })
RETURN node.id AS id, score
ORDER BY score DESC, id ASC
LIMIT $k
