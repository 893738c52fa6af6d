// Fold-in: one page of creators (keyset on id) that have no creator embedding yet.
// Returns: id (string), ordered by id.
// Parameters: $after (string: last id of the previous page, an empty string for the first);
// $batchSize (int).
// Used by: graph.embed.foldin (fyp embed --fold-in).
MATCH (c:Creator)
WHERE c.id > $after AND c.creatorEmbedding IS NULL
WITH c ORDER BY c.id ASC LIMIT $batchSize
RETURN c.id AS id
ORDER BY id
