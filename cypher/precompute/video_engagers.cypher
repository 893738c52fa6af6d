// The engaged viewers of a batch of videos, for the co-engagement precompute: every user
// who viewed (any watch) or liked the video, at most $maxEngagers per video (the newest),
// so one viral video cannot blow up the item-item product; and whether each engagement
// was positive (a like, a view watched to $completeRatio or for $longViewMs).
// Returns: videoId, userIds (list of user ids), positive (list of booleans, one per user).
// Parameters: $videoIds (list of video ids); $maxEngagers (int); $completeRatio (float);
// $longViewMs (int).
// Used by: graph.precompute.co_engagement (`fyp precompute`).
UNWIND $videoIds AS videoId
MATCH (v:Video {id: videoId})
CALL (v) {
  MATCH (v)<-[r:VIEWED|LIKED]-(u:User)
  WITH u, max(coalesce(r.lastAt, r.at, 0)) AS at,
       max(CASE WHEN type(r) = 'LIKED' OR r.completion >= $completeRatio
                     OR r.watchMs >= $longViewMs THEN 1 ELSE 0 END) AS positive
  ORDER BY at DESC
  LIMIT $maxEngagers
  RETURN collect(u.id) AS userIds, collect(positive = 1) AS positive
}
RETURN v.id AS videoId, userIds, positive
