// Videos by id, for the API's video DataLoader (one round trip per batch of ids), with
// their creator, sound and hashtags inline so that a page of videos needs no more queries.
// Returns: one row per id that exists: video (map: id, createdAt, durationMs, caption,
// status, every counter, creatorId, hashtags (list of names), soundId, and the maps
// creator (as api/users_by_id), sound (as api/sounds_by_id), hashtagRows (list, as
// api/hashtags_by_name)). Missing ids give no row.
// Parameters: $ids (list of video ids). Used by: api/loaders.py.
UNWIND $ids AS id
MATCH (v:Video {id: id})
OPTIONAL MATCH (c:Creator)-[:POSTED]->(v)
OPTIONAL MATCH (v)-[:USES_SOUND]->(s:Sound)
WITH v, head(collect(c)) AS c, head(collect(s)) AS s
RETURN v {
  .id, .createdAt, .durationMs, .caption, .status,
  .views, .viewers, .completes, .completionSum, .watchMsSum, .rewatches, .likes, .shares,
  .comments, .skips, .notInterested, .impressions, .follows,
  creatorId: c.id,
  soundId: s.id,
  hashtags: [(v)-[:TAGGED]->(h:Hashtag) | h.name],
  creator: CASE WHEN c IS NULL THEN null
           ELSE c {.id, .name, .createdAt, .followers, .following, .videos, isCreator: true} END,
  sound: CASE WHEN s IS NULL THEN null ELSE s {.id, .title, .videos} END,
  hashtagRows: [(v)-[:TAGGED]->(h:Hashtag) | h {.name, .videos}]
} AS video
