// Ids of every creator who posted at least one video, in id order, one page at a time.
// Returns: creatorId. Parameters: $afterId (string, '' for the first page), $limit (int).
// Used by: graph.brands.authenticity.store_authenticity (scores every creator in batches).
MATCH (c:Creator)
WHERE c.id > $afterId AND EXISTS { (c)-[:POSTED]->(:Video) }
RETURN c.id AS creatorId
ORDER BY creatorId
LIMIT $limit
