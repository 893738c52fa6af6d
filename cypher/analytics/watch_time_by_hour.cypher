// title: Watch time by hour of day
// description: Views in the last $days days up to $asOf by UTC hour of the day (0-23):
//   views, distinct viewers, average watch time in seconds and the share of views that
//   completed (completion ≥ 0.95). Hours without views are left out.
// param: $days int 1..3650 = 7 — window length in days, ending at $asOf
// param: $asOf timestamp = null — end of the window, epoch ms (default: the latest event)
// returns: hour, views, viewers, avgWatchSeconds, completeRate
// used by: fyp query run watch_time_by_hour; GraphQL runAnalyticsQuery (analyst role)
CALL () {
  OPTIONAL MATCH (e:Event) WHERE e.at IS NOT NULL
  RETURN e.at AS latest ORDER BY e.at DESC LIMIT 1
}
WITH coalesce($asOf, latest, timestamp()) AS asOf
MATCH (e:Event)
  WHERE e.type = 'view' AND e.at > asOf - $days * 86400000 AND e.at <= asOf
WITH datetime({epochMillis: e.at}).hour AS hour, e
RETURN hour, count(e) AS views, count(DISTINCT e.userId) AS viewers,
       avg(toFloat(e.watchMs)) / 1000 AS avgWatchSeconds,
       toFloat(sum(CASE WHEN e.completion >= 0.95 THEN 1 ELSE 0 END)) / count(e) AS completeRate
ORDER BY hour
