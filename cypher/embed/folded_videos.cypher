// Fold-in refresh: one page of videos (keyset on id) whose vector was folded in (not
// trained) and that someone has engaged with since: their first viewers can now place
// them better than their creator, hashtags and sound alone.
// Returns: id (string), ordered by id.
// Parameters: $after (string: last id of the previous page, an empty string for the first);
// $batchSize (int).
// Used by: graph.embed.foldin.fold_in_new_videos (fyp import, fyp embed --fold-in).
MATCH (v:Video)
WHERE v.id > $after AND v.embeddingFolded IS NOT NULL
  AND EXISTS { (:User)-[:VIEWED|LIKED|SHARED|COMMENTED]->(v) }
WITH v ORDER BY v.id ASC LIMIT $batchSize
RETURN v.id AS id
ORDER BY id
