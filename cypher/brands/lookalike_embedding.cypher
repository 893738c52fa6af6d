// Creators nearest to one creator by creator embedding (Creator.creatorEmbedding, the
// random-walk vectors of graph.embed), through the creator_embedding vector index; only
// creators who posted something, never the creator itself.
// Returns: creatorId, name, similarity (the index score, cosine scaled to [0, 1]); best
//   first, at most $limit rows; none when the creator has no embedding. Fails when the
//   index does not exist (no `fyp embed` run yet): the caller falls back to audiences.
// Parameters: $creatorId (the creator to find lookalikes of), $candidates (int:
//   neighbours asked of the index, more than $limit), $limit (int).
// Used by: graph.brands.lookalike.lookalike_creators (GraphQL lookalikeCreators).
MATCH (c:Creator {id: $creatorId}) WHERE c.creatorEmbedding IS NOT NULL
CALL db.index.vector.queryNodes('creator_embedding', $candidates, c.creatorEmbedding)
  YIELD node, score
WITH c, node, score
WHERE node <> c AND EXISTS { (node)-[:POSTED]->(:Video) }
RETURN node.id AS creatorId, node.name AS name, score AS similarity
ORDER BY similarity DESC, creatorId
LIMIT $limit
