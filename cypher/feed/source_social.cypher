// Candidate source social: videos the people the viewer follows liked recently.
// Returns: videoId, score (how many of them liked it), reason (map: likers, list of
// maps id, name, up to 3; count).
// Parameters: $userId (string); $maxFollowees (int, most recently followed first);
// $perFollowee (int, newest likes per followee); $now (epoch ms); $limit (int).
// Used by: graph.feed.sources (mode FOR_YOU).
MATCH (u:User {id: $userId})-[f:FOLLOWS]->(friend:User)
WITH u, friend
ORDER BY coalesce(f.at, 0) DESC
LIMIT $maxFollowees
CALL (friend) {
  MATCH (friend)-[l:LIKED]->(v:Video)
  WHERE v.createdAt <= $now AND coalesce(l.at, 0) <= $now
  WITH v, l
  ORDER BY l.at DESC
  LIMIT $perFollowee
  RETURN v, l.at AS likedAt
}
WITH u, v, collect({id: friend.id, name: friend.name}) AS likers, max(likedAt) AS likedAt
WHERE NOT EXISTS { (u)-[:VIEWED|SERVED|SKIPPED|LIKED]->(v) }
  AND NOT EXISTS { (u)-[:POSTED]->(v) }
RETURN v.id AS videoId, toFloat(size(likers)) AS score,
       {likers: likers[..3], count: size(likers)} AS reason
ORDER BY score DESC, likedAt DESC, videoId
LIMIT $limit
