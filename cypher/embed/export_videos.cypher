// Embedding export: one page of videos (keyset on id) with their creator, hashtags and
// sound, for the random-walk graph.
// Returns: id (string), creators (list of creator ids, normally one), hashtags (list of
// names), sounds (list of sound ids, normally at most one). Ordered by id.
// Parameters: $after (string: the last id of the previous page, an empty string for the first);
// $batchSize (int: videos per page).
// Used by: graph.embed.export (fyp embed).
MATCH (v:Video)
WHERE v.id > $after
WITH v ORDER BY v.id ASC LIMIT $batchSize
CALL (v) {
  MATCH (c:Creator)-[:POSTED]->(v)
  RETURN collect(c.id) AS creators
}
CALL (v) {
  MATCH (v)-[:TAGGED]->(h:Hashtag)
  RETURN collect(h.name) AS hashtags
}
CALL (v) {
  MATCH (v)-[:USES_SOUND]->(s:Sound)
  RETURN collect(s.id) AS sounds
}
RETURN v.id AS id, creators, hashtags, sounds
ORDER BY id
