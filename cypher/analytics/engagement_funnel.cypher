// title: Engagement funnel
// description: Interaction events in the last $days days up to $asOf, stage by stage:
//   impression → view → complete (a view with completion ≥ 0.95) → like / share /
//   comment / follow. `conversion` divides the events of a stage by those of the stage it
//   follows (views by impressions, completes by views, engagements by views).
// param: $days int 1..3650 = 7 — window length in days, ending at $asOf
// param: $asOf timestamp = null — end of the window, epoch ms (default: the latest event)
// returns: step, stage, events, users, conversion
// used by: fyp query run engagement_funnel; GraphQL runAnalyticsQuery (analyst role)
CALL () {
  OPTIONAL MATCH (e:Event) WHERE e.at IS NOT NULL
  RETURN e.at AS latest ORDER BY e.at DESC LIMIT 1
}
WITH coalesce($asOf, latest, timestamp()) AS asOf
WITH asOf, asOf - $days * 86400000 AS since
OPTIONAL MATCH (e:Event)
  WHERE e.type IN ['impression', 'view', 'like', 'share', 'comment', 'follow']
    AND e.at > since AND e.at <= asOf
WITH e.type AS type, count(e) AS events, count(DISTINCT e.userId) AS users,
     sum(CASE WHEN e.completion >= 0.95 THEN 1 ELSE 0 END) AS completes,
     count(DISTINCT CASE WHEN e.completion >= 0.95 THEN e.userId END) AS completers
WITH collect({type: type, events: events, users: users}) AS found,
     sum(completes) AS completes, sum(completers) AS completers
WITH found + [{type: 'complete', events: completes, users: completers}] AS found
WITH found, [['impression', null], ['view', 'impression'], ['complete', 'view'],
              ['like', 'view'], ['share', 'view'], ['comment', 'view'], ['follow', 'view']]
       AS stages
UNWIND range(0, size(stages) - 1) AS index
WITH index, stages[index] AS stage, found
WITH index, stage, [row IN found WHERE row.type = stage[0]][0] AS row,
     [row IN found WHERE row.type = stage[1]][0] AS base
WITH index, stage, coalesce(row.events, 0) AS events, coalesce(row.users, 0) AS users,
     coalesce(base.events, 0) AS baseEvents
RETURN index + 1 AS step, stage[0] AS stage, events, users,
       CASE WHEN stage[1] IS NULL OR baseEvents = 0 THEN null
            ELSE toFloat(events) / baseEvents END AS conversion
ORDER BY step
