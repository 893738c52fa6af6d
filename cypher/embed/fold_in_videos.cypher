// Fold-in neighbourhood of some videos: the embedded users who engaged with each (most
// recent first, with the raw signals), and the embedded creator, hashtags and sound.
// Videos that do not exist are left out.
// Returns: id (string), viewers (list of {signals: list of [userId, type, completion,
// rewatches], vector: list of floats}), creators, hashtags, sounds (lists of vectors).
// Parameters: $ids (list of strings); $neighbours (int: most users looked at per
// video).
// Used by: graph.embed.foldin (fold_in_video at request time, fyp embed --fold-in).
UNWIND $ids AS videoId
MATCH (v:Video {id: videoId})
CALL (v) {
  MATCH (u:User)-[r:VIEWED|LIKED|SHARED|COMMENTED|SKIPPED|NOT_INTERESTED]->(v)
  WHERE u.embedding IS NOT NULL
  WITH u, collect([u.id, type(r), r.completion, r.rewatches]) AS signals,
       max(coalesce(r.lastAt, r.at, 0)) AS recent
  ORDER BY recent DESC, u.id ASC
  LIMIT $neighbours
  RETURN collect({signals: signals, vector: u.embedding}) AS viewers
}
CALL (v) {
  MATCH (c:Creator)-[:POSTED]->(v)
  WHERE c.creatorEmbedding IS NOT NULL
  RETURN collect(c.creatorEmbedding) AS creators
}
CALL (v) {
  MATCH (v)-[:TAGGED]->(h:Hashtag)
  WHERE h.embedding IS NOT NULL
  RETURN collect(h.embedding) AS hashtags
}
CALL (v) {
  MATCH (v)-[:USES_SOUND]->(s:Sound)
  WHERE s.embedding IS NOT NULL
  RETURN collect(s.embedding) AS sounds
}
RETURN v.id AS id, viewers, creators, hashtags, sounds
