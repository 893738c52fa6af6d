// title: Most skipped videos
// description: Active videos by skip rate, skips / (views + skips), from the all-time
//   counters (a skip is a swipe away in the first seconds, so it is not a view); only
//   videos with at least $minExposures views + skips. Also how often viewers said
//   they were not interested.
// param: $minExposures int 0..1000000 = 10 — fewest views + skips for a video to be listed
// param: $limit int 1..1000 = 20 — how many videos
// returns: videoId, creatorId, caption, durationSeconds, exposures, skips, skipRate, notInterested
// used by: fyp query run most_skipped_videos; GraphQL runAnalyticsQuery (analyst role)
MATCH (c:Creator)-[:POSTED]->(v:Video)
WHERE coalesce(v.status, 'active') = 'active'
WITH c, v, coalesce(v.views, 0) + coalesce(v.skips, 0) AS exposures
WHERE exposures >= $minExposures AND exposures > 0
RETURN v.id AS videoId, c.id AS creatorId, v.caption AS caption,
       toFloat(v.durationMs) / 1000 AS durationSeconds, exposures,
       coalesce(v.skips, 0) AS skips, toFloat(coalesce(v.skips, 0)) / exposures AS skipRate,
       coalesce(v.notInterested, 0) AS notInterested
ORDER BY skipRate DESC, exposures DESC, videoId
LIMIT $limit
