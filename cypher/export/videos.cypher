// One page of videos as `videos` import records, in id order.
// Returns one row: videos (list of maps: id, creatorId, createdAt, durationMs, caption,
// status, hashtags (names), soundId, soundTitle).
// Parameters: $after (string: the last id of the previous page, '' first); $limit (int).
// Used by: graph.export (fyp tune).
MATCH (v:Video)
WHERE v.id > $after
WITH v
ORDER BY v.id
LIMIT $limit
OPTIONAL MATCH (c:User)-[:POSTED]->(v)
OPTIONAL MATCH (v)-[:USES_SOUND]->(s:Sound)
WITH v, head(collect(c)) AS c, head(collect(s)) AS s
ORDER BY v.id
RETURN collect({
  id: v.id, creatorId: c.id, createdAt: v.createdAt, durationMs: v.durationMs,
  caption: v.caption, status: v.status,
  hashtags: [(v)-[:TAGGED]->(h:Hashtag) | h.name], soundId: s.id, soundTitle: s.title
}) AS videos
