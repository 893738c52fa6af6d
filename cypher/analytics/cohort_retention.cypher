// title: Cohort retention
// description: Viewers grouped by the period of their first view ever (periods of
//   $periodDays UTC days; the last $periods periods up to the day of $asOf), and for each
//   later period the share of the cohort that viewed something again. Period 0 is the
//   cohort itself (retention 1.0); users first seen before the window are left out.
// param: $periodDays int 1..366 = 7 — days per period (7 for weekly cohorts, 1 for daily)
// param: $periods int 1..520 = 6 — how many periods, ending with the one that holds $asOf
// param: $asOf timestamp = null — end of the window, epoch ms (default: the latest event)
// returns: cohort, users, period, active, retention
// used by: fyp query run cohort_retention; GraphQL runAnalyticsQuery (analyst role)
CALL () {
  OPTIONAL MATCH (e:Event) WHERE e.at IS NOT NULL
  RETURN e.at AS latest ORDER BY e.at DESC LIMIT 1
}
WITH coalesce($asOf, latest, timestamp()) AS asOf
WITH asOf,
     date(datetime({epochMillis: asOf})) - duration({days: $periods * $periodDays - 1})
       AS firstDay
WITH asOf, firstDay, datetime({date: firstDay}).epochMillis AS since,
     $periodDays * 86400000 AS periodMs
MATCH (e:Event) WHERE e.type = 'view' AND e.at >= since AND e.at <= asOf
WITH firstDay, since, periodMs, e.userId AS userId,
     collect(DISTINCT (e.at - since) / periodMs) AS active
MATCH (u:User {id: userId})
CALL (u) {
  MATCH (u)-[r:VIEWED]->()
  RETURN min(r.firstAt) AS firstSeen
}
WITH firstDay, since, periodMs, firstSeen, active WHERE firstSeen >= since
WITH firstDay, (firstSeen - since) / periodMs AS cohort, active
WITH firstDay, cohort, count(*) AS users, collect(active) AS activity
UNWIND range(0, $periods - 1 - cohort) AS period
RETURN toString(firstDay + duration({days: cohort * $periodDays})) AS cohort, users, period,
       size([periods IN activity WHERE cohort + period IN periods]) AS active,
       toFloat(size([periods IN activity WHERE cohort + period IN periods])) / users
         AS retention
ORDER BY cohort, period
