// title: What viewers reject
// description: "Not interested" signals in the last $days days up to $asOf, by target:
//   which videos, creators, hashtags and sounds viewers asked to see less of, and how
//   many distinct users did.
// param: $days int 1..3650 = 30 — window length in days, ending at $asOf
// param: $limit int 1..1000 = 20 — how many targets
// param: $asOf timestamp = null — end of the window, epoch ms (default: the latest event)
// returns: kind, target, signals, users
// used by: fyp query run not_interested_targets; GraphQL runAnalyticsQuery (analyst role)
CALL () {
  OPTIONAL MATCH (e:Event) WHERE e.at IS NOT NULL
  RETURN e.at AS latest ORDER BY e.at DESC LIMIT 1
}
WITH coalesce($asOf, latest, timestamp()) AS asOf
MATCH (e:Event)
  WHERE e.type = 'not_interested' AND e.at > asOf - $days * 86400000 AND e.at <= asOf
WITH coalesce(e.targetKind, 'video') AS kind, coalesce(e.targetId, e.videoId) AS target, e
RETURN kind, target, count(e) AS signals, count(DISTINCT e.userId) AS users
ORDER BY signals DESC, users DESC, kind, target
LIMIT $limit
