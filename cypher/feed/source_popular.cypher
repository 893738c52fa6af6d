// Candidate source popular: the videos the most viewers engaged with positively (a
// view of at least $longViewMs or $completeRatio of the video) in the window
// ($since, $now], the "recent popularity" every feed should at least know about.
// Non-personal: one fetch is shared by the requests of a few minutes (the engine's
// shared fetches); the viewer's filters remove what they already saw.
// Returns: videoId, score (positive viewers in the window), reason (map: viewers, days).
// Parameters: $now (epoch ms); $since (epoch ms, start of the window); $completeRatio
// (float); $longViewMs (int); $days (float, the window in days, for the explanation);
// $limit (int).
// Used by: graph.feed.sources (modes FOR_YOU and NON_PERSONALIZED).
MATCH (:User)-[r:VIEWED]->(v:Video)
WHERE r.lastAt > $since AND r.lastAt <= $now
  AND (r.completion >= $completeRatio OR r.watchMs >= $longViewMs)
WITH v, count(*) AS viewers
WHERE v.createdAt <= $now AND coalesce(v.status, 'active') = 'active'
RETURN v.id AS videoId, viewers AS score, {viewers: viewers, days: $days} AS reason
ORDER BY score DESC, videoId
LIMIT $limit
