// Candidate source sound_affinity: well-watched, recent videos using the sounds the
// viewer engages with most. Per sound, the $perSound best videos by smoothed
// completion rate x recency, before the seen-check.
// Returns: videoId, score (sound weight x video quality), reason (map: soundId,
// soundTitle).
// Parameters: $userId (string); $sounds (list of maps: id, weight in 0..1);
// $perSound (int); $halfLifeMs (int, recency half-life); $now (epoch ms); $limit (int).
// Used by: graph.feed.sources (mode FOR_YOU).
MATCH (u:User {id: $userId})
UNWIND $sounds AS wanted
MATCH (s:Sound {id: wanted.id})
CALL (u, s) {
  MATCH (s)<-[:USES_SOUND]-(v:Video)
  WHERE v.createdAt <= $now AND coalesce(v.status, 'active') = 'active'
  WITH u, v,
       (coalesce(v.completes, 0) + 3.0) / (coalesce(v.views, 0) + 10.0)
       * 0.5 ^ (toFloat($now - v.createdAt) / $halfLifeMs) AS quality
  ORDER BY quality DESC
  LIMIT $perSound
  WITH v, quality
  WHERE NOT EXISTS { (u)-[:VIEWED|SERVED|SKIPPED|LIKED]->(v) }
  RETURN v, quality
}
WITH v, s, wanted.weight * quality AS score
ORDER BY score DESC
WITH v, collect({soundId: s.id, soundTitle: s.title, score: score})[0] AS best
RETURN v.id AS videoId, best.score AS score,
       {soundId: best.soundId, soundTitle: best.soundTitle} AS reason
ORDER BY score DESC, videoId
LIMIT $limit
