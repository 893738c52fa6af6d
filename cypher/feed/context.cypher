// The context of one feed request: who the viewer is, their most recent
// interactions (each video with its creator, sound and hashtags), and when the latest
// activity of the graph happened (so time windows can follow a historical dataset).
// Returns one row (none when the user does not exist): userId, name, embedding,
// following (count), latestEventAt, latestVideoAt, recent (list of maps: videoId, at,
// completion, viewed, liked, shared, skipped, creatorId, creatorName, soundId,
// soundTitle, hashtags, caption).
// Parameters: $userId (string); $recentLimit (int, interactions to read, newest first;
// 0 reads none, for the non-personalised mode).
// Used by: graph.feed.engine, first stage of every feed request.
MATCH (u:User {id: $userId})
CALL (u) {
  MATCH (u)-[r:VIEWED|LIKED|SHARED|SKIPPED]->(v:Video)
  WITH v, r, coalesce(r.lastAt, r.at, 0) AS at
  ORDER BY at DESC
  LIMIT $recentLimit
  WITH v, max(at) AS at, collect(type(r)) AS kinds, max(r.completion) AS completion
  OPTIONAL MATCH (c:User)-[:POSTED]->(v)
  OPTIONAL MATCH (v)-[:USES_SOUND]->(s:Sound)
  RETURN collect({
    videoId: v.id, at: at, completion: coalesce(completion, 0.0),
    viewed: 'VIEWED' IN kinds, liked: 'LIKED' IN kinds,
    shared: 'SHARED' IN kinds, skipped: 'SKIPPED' IN kinds,
    creatorId: c.id, creatorName: c.name, soundId: s.id, soundTitle: s.title,
    hashtags: COLLECT { MATCH (v)-[:TAGGED]->(h:Hashtag) RETURN h.name },
    caption: v.caption
  }) AS recent
}
CALL () {
  MATCH (e:Event)
  WHERE e.at IS NOT NULL
  WITH e.at AS at
  ORDER BY at DESC
  LIMIT 1
  RETURN max(at) AS latestEventAt
}
CALL () {
  MATCH (v:Video)
  WHERE v.createdAt IS NOT NULL
  WITH v.createdAt AS at
  ORDER BY at DESC
  LIMIT 1
  RETURN max(at) AS latestVideoAt
}
RETURN u.id AS userId, u.name AS name, u.embedding AS embedding,
       COUNT { (u)-[:FOLLOWS]->() } AS following,
       latestEventAt, latestVideoAt, recent
