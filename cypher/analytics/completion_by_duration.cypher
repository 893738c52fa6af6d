// title: Completion by video duration
// description: Views in the last $days days up to $asOf grouped by the length of the
//   video (under 15 s, 15-30 s, 30-60 s, 1-3 min, 3 min and more): videos viewed, views,
//   average completion (watch time over duration, capped at 1 per view) and the share of
//   views that completed (completion ≥ 0.95).
// param: $days int 1..3650 = 30 — window length in days, ending at $asOf
// param: $asOf timestamp = null — end of the window, epoch ms (default: the latest event)
// returns: bucket, videos, views, avgCompletion, completeRate
// used by: fyp query run completion_by_duration; GraphQL runAnalyticsQuery (analyst role)
CALL () {
  OPTIONAL MATCH (e:Event) WHERE e.at IS NOT NULL
  RETURN e.at AS latest ORDER BY e.at DESC LIMIT 1
}
WITH coalesce($asOf, latest, timestamp()) AS asOf
MATCH (e:Event)
  WHERE e.type = 'view' AND e.at > asOf - $days * 86400000 AND e.at <= asOf
MATCH (v:Video {id: e.videoId})
WITH e, v,
     CASE WHEN v.durationMs < 15000 THEN 0 WHEN v.durationMs < 30000 THEN 1
          WHEN v.durationMs < 60000 THEN 2 WHEN v.durationMs < 180000 THEN 3 ELSE 4 END AS slot
WITH slot, count(DISTINCT v) AS videos, count(e) AS views,
     avg(CASE WHEN e.completion > 1.0 THEN 1.0 ELSE e.completion END) AS avgCompletion,
     toFloat(sum(CASE WHEN e.completion >= 0.95 THEN 1 ELSE 0 END)) / count(e) AS completeRate
RETURN ['<15s', '15-30s', '30-60s', '1-3min', '3min+'][slot] AS bucket,
       videos, views, avgCompletion, completeRate
ORDER BY slot
