// Fold-in neighbourhood of some users: the embedded videos each engaged with (most
// recent first, with the raw signals so skips and not-interested can be weighed out)
// and the embedded creators each follows. Users that do not exist are left out.
// Returns: id (string), videos (list of {signals: list of [videoId, type, completion,
// rewatches], vector: list of floats}), creators (list of creator vectors).
// Parameters: $ids (list of strings); $neighbours (int: most videos and most
// creators looked at per user).
// Used by: graph.embed.foldin (fold_in_user at request time, fyp embed --fold-in).
UNWIND $ids AS userId
MATCH (u:User {id: userId})
CALL (u) {
  MATCH (u)-[r:VIEWED|LIKED|SHARED|COMMENTED|SKIPPED|NOT_INTERESTED]->(v:Video)
  WHERE v.embedding IS NOT NULL
  WITH v, collect([v.id, type(r), r.completion, r.rewatches]) AS signals,
       max(coalesce(r.lastAt, r.at, 0)) AS recent
  ORDER BY recent DESC, v.id ASC
  LIMIT $neighbours
  RETURN collect({signals: signals, vector: v.embedding}) AS videos
}
CALL (u) {
  MATCH (u)-[f:FOLLOWS]->(c:Creator)
  WHERE c.creatorEmbedding IS NOT NULL
  WITH c ORDER BY coalesce(f.at, 0) DESC, c.id ASC
  LIMIT $neighbours
  RETURN collect(c.creatorEmbedding) AS creators
}
RETURN u.id AS id, videos, creators
