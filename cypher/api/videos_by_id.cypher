// Videos by id, for the API's video DataLoader (one round trip per batch of ids).
// Returns: one row per id that exists: video (map: id, createdAt, durationMs, caption,
// status, every counter, creatorId, hashtags (list of names), soundId). Missing ids give no row.
// Parameters: $ids (list of video ids). Used by: api/loaders.py.
UNWIND $ids AS id
MATCH (v:Video {id: id})
RETURN v {
  .id, .createdAt, .durationMs, .caption, .status,
  .views, .viewers, .completes, .completionSum, .watchMsSum, .rewatches, .likes, .shares,
  .comments, .skips, .notInterested, .impressions, .follows,
  creatorId: head([(c:Creator)-[:POSTED]->(v) | c.id]),
  hashtags: [(v)-[:TAGGED]->(h:Hashtag) | h.name],
  soundId: head([(v)-[:USES_SOUND]->(s:Sound) | s.id])
} AS video
