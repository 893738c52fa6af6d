// Candidate source fresh: videos posted since $since, newest first, favouring those
// with few impressions, so new uploads (and new creators) get a first audience.
// Non-personal; the viewer id only keeps out what they were already served or watched.
// Returns: videoId, score (recency x need for an audience), reason (map: postedAt,
// impressions, creatorId, creatorName, newCreator: first video, or joined since $since).
// Parameters: $userId (string); $now (epoch ms); $since (epoch ms, oldest upload that
// counts as fresh); $scan (int, newest videos looked at); $halfLifeMs (int);
// $audience (int, impressions at which the score halves: by then a video has had its
// first audience); $limit (int).
// Used by: graph.feed.sources (every mode but FOLLOWING; always present).
MATCH (v:Video)
WHERE v.createdAt <= $now AND v.createdAt > $since
WITH v
ORDER BY v.createdAt DESC
LIMIT $scan
MATCH (u:User {id: $userId})
WITH u, v
WHERE coalesce(v.status, 'active') = 'active'
  AND NOT EXISTS { (u)-[:VIEWED|SERVED|SKIPPED|LIKED]->(v) }
OPTIONAL MATCH (c:User)-[:POSTED]->(v)
WITH v, c, coalesce(v.impressions, 0) AS impressions
RETURN v.id AS videoId,
       0.5 ^ (toFloat($now - v.createdAt) / $halfLifeMs)
       * $audience / ($audience + impressions) AS score,
       {postedAt: v.createdAt, impressions: impressions, creatorId: c.id,
        creatorName: c.name,
        newCreator: coalesce(c.videos, 0) <= 1 OR coalesce(c.createdAt, 0) > $since} AS reason
ORDER BY score DESC, videoId
LIMIT $limit
