// title: Daily active viewers
// description: Distinct users with at least one view, per UTC day, for the last $days
//   calendar days up to and including the day of $asOf (days without views show 0).
// param: $days int 1..3650 = 14 — how many days, ending with the day of $asOf
// param: $asOf timestamp = null — end of the window, epoch ms (default: the latest event)
// returns: day, viewers, views
// used by: fyp query run daily_active_viewers; GraphQL runAnalyticsQuery (analyst role)
CALL () {
  OPTIONAL MATCH (e:Event) WHERE e.at IS NOT NULL
  RETURN e.at AS latest ORDER BY e.at DESC LIMIT 1
}
WITH coalesce($asOf, latest, timestamp()) AS asOf
WITH asOf, date(datetime({epochMillis: asOf})) - duration({days: $days - 1}) AS firstDay
WITH asOf, firstDay, datetime({date: firstDay}).epochMillis AS since
OPTIONAL MATCH (e:Event) WHERE e.type = 'view' AND e.at >= since AND e.at <= asOf
WITH firstDay, CASE WHEN e IS NOT NULL THEN date(datetime({epochMillis: e.at})) END AS day,
     count(DISTINCT e.userId) AS viewers, count(e) AS views
WITH firstDay, collect({day: day, viewers: viewers, views: views}) AS found
UNWIND range(0, $days - 1) AS offset
WITH firstDay + duration({days: offset}) AS day, found
WITH day, [row IN found WHERE row.day = day][0] AS row
RETURN toString(day) AS day, coalesce(row.viewers, 0) AS viewers, coalesce(row.views, 0) AS views
ORDER BY day
