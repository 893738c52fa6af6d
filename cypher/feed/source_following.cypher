// Candidate source following: the newest videos of the creators the viewer follows.
// Returns: videoId, score (recency: halves every $halfLifeMs), reason (map: creatorId,
// creatorName, postedAt).
// Parameters: $userId (string); $now (epoch ms, request time: later videos are
// ignored); $halfLifeMs (int); $maxCreators (int, most recently followed first);
// $perCreator (int, newest videos per creator); $limit (int, rows returned).
// Used by: graph.feed.sources (modes FOR_YOU and FOLLOWING).
MATCH (u:User {id: $userId})-[f:FOLLOWS]->(c:User)
WITH u, c
ORDER BY coalesce(f.at, 0) DESC
LIMIT $maxCreators
CALL (u, c) {
  MATCH (c)-[:POSTED]->(v:Video)
  WHERE v.createdAt <= $now AND coalesce(v.status, 'active') = 'active'
  WITH u, v
  ORDER BY v.createdAt DESC
  LIMIT $perCreator
  WITH v
  WHERE NOT EXISTS { (u)-[:VIEWED|SERVED|SKIPPED|LIKED]->(v) }
  RETURN v
}
RETURN v.id AS videoId,
       0.5 ^ (toFloat($now - v.createdAt) / $halfLifeMs) AS score,
       {creatorId: c.id, creatorName: c.name, postedAt: v.createdAt} AS reason
ORDER BY score DESC, videoId
LIMIT $limit
