// Creators whose creator embedding is nearest to that of a given creator, through the
// creator_embedding vector index; the creator itself is left out.
// Returns: one row: found (bool: the creator exists), embedded (bool: it has a vector),
// hits (list of {id, score}, best first, at most $k).
// Parameters: $creatorId (string); $k (int: hits wanted); $candidates (int: neighbours
// asked of the index, at least $k + 1).
// Used by: graph.embed.similar (similar_creators, similar_creators_async).
OPTIONAL MATCH (c:Creator {id: $creatorId})
CALL (c) {
  WITH c WHERE c.creatorEmbedding IS NOT NULL
  CALL db.index.vector.queryNodes('creator_embedding', $candidates, c.creatorEmbedding)
    YIELD node, score
  WITH node, score
  WHERE node <> c
  WITH node, score ORDER BY score DESC, node.id ASC LIMIT $k
  RETURN collect({id: node.id, score: score}) AS hits
}
RETURN c IS NOT NULL AS found, c.creatorEmbedding IS NOT NULL AS embedded, hits
