// The most recent activity of the graph: per event type in $types, the newest $perType
// events before $now (and after $since), then grouped by video with the lifetime
// counters, hashtags and sound of each video. Sampling per type keeps the cost bounded
// however busy the window was, keeps frequent types (impressions) from crowding out
// rare ones (shares), and the span of each sample is the window its rate is measured
// over. The trending and viral sources score it in Python (graph.feed.trends).
// Returns one row per video with at least $minEvents sampled events: windows (list of
// maps: type, oldest (epoch ms: start of the window the sample covers), events), videoCount (videos in the graph), videoId,
// types (list of sampled event types; a view at or above $completeRatio counts as
// complete), createdAt, views, likes, shares, comments, completes, impressions,
// hashtags (list of maps: name, videos), soundId, soundTitle, soundVideos.
// Parameters: $types (list of event types); $now (epoch ms); $since (epoch ms, oldest
// event considered); $perType (int, newest events read per type); $minEvents (int);
// $completeRatio (float).
// Used by: graph.feed.sources (trending and viral, one fetch shared per request).
UNWIND $types AS type
CALL (type) {
  MATCH (e:Event)
  WHERE e.type = type AND e.at > $since AND e.at <= $now
  WITH e
  // Ordering by both keys of the (type, at) index reads it in order: LIMIT stops early.
  ORDER BY e.type DESC, e.at DESC
  LIMIT $perType
  RETURN e.videoId AS videoId, e.at AS at,
         CASE WHEN type = 'view' AND e.completion >= $completeRatio
              THEN 'complete' ELSE type END AS kind
}
WITH type, min(at) AS oldest, count(*) AS events,
     collect({videoId: videoId, kind: kind}) AS rows
// A sample that did not fill up holds every event since $since: that is its window.
WITH type, events, rows, CASE WHEN events < $perType THEN $since ELSE oldest END AS oldest
WITH collect({type: type, oldest: oldest, events: events}) AS windows,
     collect(rows) AS samples
UNWIND samples AS rows
UNWIND rows AS row
WITH windows, row.videoId AS videoId, collect(row.kind) AS types
WHERE videoId IS NOT NULL AND size(types) >= $minEvents
MATCH (v:Video {id: videoId})
WHERE coalesce(v.status, 'active') = 'active' AND v.createdAt <= $now
OPTIONAL MATCH (v)-[:USES_SOUND]->(s:Sound)
RETURN windows, COUNT { (:Video) } AS videoCount,
       v.id AS videoId, types, v.createdAt AS createdAt,
       coalesce(v.views, 0) AS views, coalesce(v.likes, 0) AS likes,
       coalesce(v.shares, 0) AS shares, coalesce(v.comments, 0) AS comments,
       coalesce(v.completes, 0) AS completes, coalesce(v.impressions, 0) AS impressions,
       COLLECT { MATCH (v)-[:TAGGED]->(h:Hashtag)
                 RETURN {name: h.name, videos: coalesce(h.videos, 1)} } AS hashtags,
       s.id AS soundId, s.title AS soundTitle, coalesce(s.videos, 1) AS soundVideos
