// "Refresh your For You feed": archives the signals the feed profiles a user from
// (views, likes, shares, comments, skips, impressions) as ARCHIVED {type, archivedAt, and
// the original properties}, and removes the user's embedding. Follows, "not interested"
// and settings stay; video counters stay (those views happened). Archived signals are in
// the user's export and go with deleteMyData.
// Returns: archived (relationships archived). Parameters: $userId, $now (epoch ms).
// Used by: graph/privacy.py (reset_recommendations).
MATCH (u:User {id: $userId})
CALL (u) {
  MATCH (u)-[r:VIEWED|LIKED|SHARED|COMMENTED|SKIPPED|SERVED]->(v:Video)
  CREATE (u)-[a:ARCHIVED]->(v)
  SET a = properties(r), a.type = type(r), a.archivedAt = $now
  DELETE r
  RETURN count(a) AS archived
}
REMOVE u.embedding
RETURN archived
