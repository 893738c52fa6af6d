// The engaged viewers of a batch of videos, for the co-engagement precompute: every user
// who viewed (any watch) or liked the video, at most $maxEngagers per video (the newest),
// so one viral video cannot blow up the item-item product.
// Returns: videoId, userIds (list of user ids).
// Parameters: $videoIds (list of video ids); $maxEngagers (int).
// Used by: graph.precompute.co_engagement (`fyp precompute`).
UNWIND $videoIds AS videoId
MATCH (v:Video {id: videoId})
CALL (v) {
  MATCH (v)<-[r:VIEWED|LIKED]-(u:User)
  WITH u, max(coalesce(r.lastAt, r.at, 0)) AS at
  ORDER BY at DESC
  LIMIT $maxEngagers
  RETURN collect(u.id) AS userIds
}
RETURN v.id AS videoId, userIds
