// Embedding export: one page of users (keyset on id) with what each did to videos and
// whom they follow, for the random-walk graph. Skips and not-interested come along so
// the weighting can drop the pairs they concern.
// Returns: id (string), creator (bool: also labelled Creator), engaged (list of
// [videoId, type, completion, rewatches]; completion and rewatches are null except on
// VIEWED), follows (list of creator ids). Ordered by id.
// Parameters: $after (string: the last id of the previous page, an empty string for the first);
// $batchSize (int: users per page).
// Used by: graph.embed.export (fyp embed).
MATCH (u:User)
WHERE u.id > $after
WITH u ORDER BY u.id ASC LIMIT $batchSize
CALL (u) {
  MATCH (u)-[r:VIEWED|LIKED|SHARED|COMMENTED|SKIPPED|NOT_INTERESTED]->(v:Video)
  RETURN collect([v.id, type(r), r.completion, r.rewatches]) AS engaged
}
CALL (u) {
  MATCH (u)-[:FOLLOWS]->(c:Creator)
  RETURN collect(c.id) AS follows
}
RETURN u.id AS id, u:Creator AS creator, engaged, follows
ORDER BY id
