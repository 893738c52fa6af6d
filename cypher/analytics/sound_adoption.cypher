// title: Sound adoption curves
// description: How a sound spreads among creators: per UTC day of the last $days days up
//   to $asOf, the videos posted with it that day and in total so far, and the creators
//   who used it for the first time that day and in total so far. Rows start at the
//   first day of the window or the first use of the sound, whichever is later. The
//   sound is $soundId, or (when null) the $sounds sounds with most new videos in the window.
// param: $soundId string = null — the sound to follow (default: the busiest sounds)
// param: $sounds int 1..100 = 3 — how many sounds when $soundId is null
// param: $days int 1..3650 = 30 — how many days, ending with the day of $asOf
// param: $asOf timestamp = null — end of the window, epoch ms (default: the latest event)
// returns: soundId, title, day, newVideos, totalVideos, newCreators, totalCreators
// used by: fyp query run sound_adoption; GraphQL runAnalyticsQuery (analyst role)
CALL () {
  OPTIONAL MATCH (e:Event) WHERE e.at IS NOT NULL
  RETURN e.at AS latest ORDER BY e.at DESC LIMIT 1
}
WITH coalesce($asOf, latest, timestamp()) AS asOf
WITH asOf, date(datetime({epochMillis: asOf})) - duration({days: $days - 1}) AS firstDay
WITH asOf, firstDay, datetime({date: firstDay}).epochMillis AS since
CALL (asOf, since) {
  WITH * WHERE $soundId IS NOT NULL
  MATCH (s:Sound {id: $soundId})
  RETURN s
  UNION
  WITH * WHERE $soundId IS NULL
  MATCH (s:Sound)<-[:USES_SOUND]-(v:Video) WHERE v.createdAt >= since AND v.createdAt <= asOf
  WITH s, count(v) AS videos
  ORDER BY videos DESC, s.id
  LIMIT $sounds
  RETURN s
}
MATCH (s)<-[:USES_SOUND]-(v:Video)<-[:POSTED]-(c:Creator) WHERE v.createdAt <= asOf
WITH s, firstDay, asOf, c, collect(date(datetime({epochMillis: v.createdAt}))) AS days
WITH s, firstDay, asOf, c, days,
     reduce(first = days[0], d IN days | CASE WHEN d < first THEN d ELSE first END) AS adopted
WITH s, firstDay, date(datetime({epochMillis: asOf})) AS lastDay,
     collect({creator: c.id, day: adopted}) AS adopters,
     reduce(all = [], ds IN collect(days) | all + ds) AS videoDays,
     min(adopted) AS firstUse
WITH s, adopters, videoDays, lastDay,
     CASE WHEN firstUse > firstDay THEN firstUse ELSE firstDay END AS start
UNWIND range(0, duration.inDays(start, lastDay).days) AS offset
WITH s, adopters, videoDays, start + duration({days: offset}) AS day
RETURN s.id AS soundId, s.title AS title, toString(day) AS day,
       size([d IN videoDays WHERE d = day]) AS newVideos,
       size([d IN videoDays WHERE d <= day]) AS totalVideos,
       size([a IN adopters WHERE a.day = day]) AS newCreators,
       size([a IN adopters WHERE a.day <= day]) AS totalCreators
ORDER BY soundId, day
