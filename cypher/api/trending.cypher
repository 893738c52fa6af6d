// What is trending: videos, creators, hashtags or sounds ranked by engagement inside a
// time window that ends at the newest event in the graph (so replayed datasets trend too).
// Views weigh 1, likes 3, comments 4, shares 5 (one per user and video, by their last time).
// Returns: key (video id, creator id, hashtag name or sound id), score, windowEnd (epoch ms),
// best first, at most $limit rows; nothing when the graph has no events.
// Parameters: $kind ('video' | 'creator' | 'hashtag' | 'sound'), $windowMs (window length),
// $limit (rows). Used by: api/catalog.py (Query.trending).
MATCH (e:Event) WHERE e.at IS NOT NULL
WITH e.at AS windowEnd ORDER BY windowEnd DESC LIMIT 1
WITH windowEnd, windowEnd - $windowMs AS since
CALL (since) {
  MATCH ()-[r:VIEWED]->(v:Video) WHERE r.lastAt >= since RETURN v, 1.0 AS weight
  UNION ALL
  MATCH ()-[r:LIKED]->(v:Video) WHERE r.at >= since RETURN v, 3.0 AS weight
  UNION ALL
  MATCH ()-[r:COMMENTED]->(v:Video) WHERE r.lastAt >= since RETURN v, 4.0 AS weight
  UNION ALL
  MATCH ()-[r:SHARED]->(v:Video) WHERE r.lastAt >= since RETURN v, 5.0 AS weight
}
WITH windowEnd, v, sum(weight) AS score
WHERE coalesce(v.status, 'active') = 'active'
WITH windowEnd, score,
  CASE $kind
    WHEN 'video' THEN [v.id]
    WHEN 'creator' THEN [(c:Creator)-[:POSTED]->(v) | c.id]
    WHEN 'hashtag' THEN [(v)-[:TAGGED]->(h:Hashtag) | h.name]
    ELSE [(v)-[:USES_SOUND]->(s:Sound) | s.id]
  END AS keys
UNWIND keys AS key
WITH windowEnd, key, sum(score) AS score
ORDER BY score DESC, key
LIMIT $limit
RETURN key, score, windowEnd
