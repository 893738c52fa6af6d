// The most recent activity of the graph: the newest $sample events before $now (and
// after $since), grouped by video, with the lifetime counters, hashtags and sound of
// each video.
// The trending and viral sources score velocity and acceleration from it in Python
// (graph.feed.trends); sampling the newest events keeps the cost bounded however busy
// the window was, and the time span of the sample is the window it measures.
// Returns: windowStart (epoch ms, the oldest sampled event), sampled (events sampled),
// videoCount (videos in the graph), and per video with at least $minEvents sampled
// events: videoId, types (list of sampled event types; a view at or above
// $completeRatio counts as complete), createdAt, views, likes,
// shares, comments, completes, impressions, hashtags (list of maps: name, videos),
// soundId, soundTitle, soundVideos.
// Parameters: $now (epoch ms); $since (epoch ms, oldest event considered); $sample
// (int, newest events read); $minEvents (int); $completeRatio (float).
// Used by: graph.feed.sources (trending and viral, one fetch shared per request).
MATCH (e:Event)
WHERE e.at > $since AND e.at <= $now
WITH e
ORDER BY e.at DESC
LIMIT $sample
WITH e.videoId AS videoId, min(e.at) AS oldest,
     collect(CASE WHEN e.type = 'view' AND e.completion >= $completeRatio
                  THEN 'complete' ELSE e.type END) AS types
WITH collect({videoId: videoId, types: types}) AS rows, min(oldest) AS windowStart,
     sum(size(types)) AS sampled
UNWIND rows AS row
WITH row, windowStart, sampled
WHERE row.videoId IS NOT NULL AND size(row.types) >= $minEvents
MATCH (v:Video {id: row.videoId})
WHERE coalesce(v.status, 'active') = 'active' AND v.createdAt <= $now
OPTIONAL MATCH (v)-[:USES_SOUND]->(s:Sound)
RETURN windowStart, sampled, COUNT { (:Video) } AS videoCount,
       v.id AS videoId, row.types AS types, v.createdAt AS createdAt,
       coalesce(v.views, 0) AS views, coalesce(v.likes, 0) AS likes,
       coalesce(v.shares, 0) AS shares, coalesce(v.comments, 0) AS comments,
       coalesce(v.completes, 0) AS completes, coalesce(v.impressions, 0) AS impressions,
       COLLECT { MATCH (v)-[:TAGGED]->(h:Hashtag)
                 RETURN {name: h.name, videos: coalesce(h.videos, 1)} } AS hashtags,
       s.id AS soundId, s.title AS soundTitle, coalesce(s.videos, 1) AS soundVideos
