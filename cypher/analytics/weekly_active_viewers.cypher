// title: Weekly active viewers
// description: Distinct users with at least one view, per ISO week (Monday to Sunday,
//   UTC), for the last $weeks weeks up to and including the week of $asOf.
// param: $weeks int 1..520 = 8 — how many weeks, ending with the week of $asOf
// param: $asOf timestamp = null — end of the window, epoch ms (default: the latest event)
// returns: week, viewers, views
// used by: fyp query run weekly_active_viewers; GraphQL runAnalyticsQuery (analyst role)
CALL () {
  OPTIONAL MATCH (e:Event) WHERE e.at IS NOT NULL
  RETURN e.at AS latest ORDER BY e.at DESC LIMIT 1
}
WITH coalesce($asOf, latest, timestamp()) AS asOf
WITH asOf,
     date.truncate('week', date(datetime({epochMillis: asOf}))) - duration({weeks: $weeks - 1})
       AS firstWeek
WITH asOf, firstWeek, datetime({date: firstWeek}).epochMillis AS since
OPTIONAL MATCH (e:Event) WHERE e.type = 'view' AND e.at >= since AND e.at <= asOf
WITH firstWeek,
     CASE WHEN e IS NOT NULL THEN date.truncate('week', datetime({epochMillis: e.at})) END
       AS week,
     count(DISTINCT e.userId) AS viewers, count(e) AS views
WITH firstWeek, collect({week: week, viewers: viewers, views: views}) AS found
UNWIND range(0, $weeks - 1) AS offset
WITH firstWeek + duration({weeks: offset}) AS week, found
WITH week, [row IN found WHERE row.week = week][0] AS row
RETURN toString(week) AS week, coalesce(row.viewers, 0) AS viewers,
       coalesce(row.views, 0) AS views
ORDER BY week
