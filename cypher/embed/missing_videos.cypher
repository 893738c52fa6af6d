// Fold-in: one page of videos (keyset on id) that have no embedding yet.
// Returns: id (string), ordered by id.
// Parameters: $after (string: last id of the previous page, an empty string for the first);
// $batchSize (int).
// Used by: graph.embed.foldin (fyp embed --fold-in).
MATCH (v:Video)
WHERE v.id > $after AND v.embedding IS NULL
WITH v ORDER BY v.id ASC LIMIT $batchSize
RETURN v.id AS id
ORDER BY id
