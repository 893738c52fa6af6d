// The read model's row of each video: its facts, counters, creator, sound and hashtags
// (and its embedding when asked), everything a feed request needs to know about it.
// Missing ids are left out.
// Returns one row: videos (list of maps: id, createdAt, durationMs, caption, status, changedAt, every
// counter (views, viewers, completes, completionSum, watchMsSum, rewatches, likes,
// shares, comments, skips, notInterested, impressions, follows), embedding (list of
// floats, or null when not asked or absent), creator (map: id, name, createdAt,
// followers, following, videos, authenticity; null when none), sound (map: id, title,
// videos; null when none), hashtags (list of maps: name, videos))).
// Parameters: $ids (list of video ids); $withVectors (bool: also return embeddings).
// Used by: graph.feed.catalogue.sync (load, changes and sweep).
UNWIND $ids AS id
MATCH (v:Video {id: id})
OPTIONAL MATCH (c:User)-[:POSTED]->(v)
OPTIONAL MATCH (v)-[:USES_SOUND]->(s:Sound)
WITH v, head(collect(c)) AS c, head(collect(s)) AS s
WITH v {
  .id, .createdAt, .durationMs, .caption, .status, .changedAt,
  .views, .viewers, .completes, .completionSum, .watchMsSum, .rewatches, .likes, .shares,
  .comments, .skips, .notInterested, .impressions, .follows,
  embedding: CASE WHEN $withVectors THEN v.embedding ELSE null END,
  creator: CASE WHEN c IS NULL THEN null
           ELSE c {.id, .name, .createdAt, .followers, .following, .videos, .authenticity} END,
  sound: CASE WHEN s IS NULL THEN null ELSE s {.id, .title, .videos} END,
  hashtags: [(v)-[:TAGGED]->(h:Hashtag) | h {.name, .videos}]
} AS video
RETURN collect(video) AS videos
