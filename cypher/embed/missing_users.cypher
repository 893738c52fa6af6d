// Fold-in: one page of users (keyset on id) that have no embedding yet.
// Returns: id (string), ordered by id.
// Parameters: $after (string: last id of the previous page, an empty string for the first);
// $batchSize (int).
// Used by: graph.embed.foldin (fyp embed --fold-in).
MATCH (u:User)
WHERE u.id > $after AND u.embedding IS NULL
WITH u ORDER BY u.id ASC LIMIT $batchSize
RETURN u.id AS id
ORDER BY id
