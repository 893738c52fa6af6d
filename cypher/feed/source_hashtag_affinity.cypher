// Candidate source hashtag_affinity: well-watched, recent videos under the hashtags
// the viewer engages with most (or picked as interests). Per hashtag, the $perHashtag
// best videos by smoothed completion rate x recency, before the seen-check.
// Returns: videoId, score (hashtag weight x video quality), reason (map: hashtags, the
// hashtags of the viewer that this video carries, best first).
// Parameters: $userId (string); $hashtags (list of maps: name, weight in 0..1);
// $perHashtag (int); $halfLifeMs (int, recency half-life); $now (epoch ms);
// $limit (int).
// Used by: graph.feed.sources (mode FOR_YOU, and cold start from chosen interests).
MATCH (u:User {id: $userId})
UNWIND $hashtags AS tag
MATCH (h:Hashtag {name: tag.name})
CALL (u, h) {
  MATCH (h)<-[:TAGGED]-(v:Video)
  WHERE v.createdAt <= $now AND coalesce(v.status, 'active') = 'active'
  WITH u, v,
       (coalesce(v.completes, 0) + 3.0) / (coalesce(v.views, 0) + 10.0)
       * 0.5 ^ (toFloat($now - v.createdAt) / $halfLifeMs) AS quality
  ORDER BY quality DESC
  LIMIT $perHashtag
  WITH v, quality
  WHERE NOT EXISTS { (u)-[:VIEWED|SERVED|SKIPPED|LIKED]->(v) }
  RETURN v, quality
}
WITH v, tag.name AS hashtag, tag.weight * quality AS score
ORDER BY score DESC
WITH v, sum(score) AS score, collect(hashtag) AS hashtags
RETURN v.id AS videoId, score, {hashtags: hashtags} AS reason
ORDER BY score DESC, videoId
LIMIT $limit
