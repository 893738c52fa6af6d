// Videos whose view counters disagree with a recount from the stored view Event nodes:
// views (events), completes (events with completion >= 0.95) and completionSum (sum of
// completion, compared with a relative tolerance for float rounding).
// Returns: label, id, counter, stored, recounted; one row per disagreement, none when
//   consistent. Parameters: $limit (int, most rows returned).
// Used by: tests/integration/test_ingest_*.py; analysts (fyp query run ingest/recount_video_events).
MATCH (e:Event {type: 'view'})
WITH e.videoId AS videoId,
     count(*) AS views,
     sum(CASE WHEN e.completion >= 0.95 THEN 1 ELSE 0 END) AS completes,
     sum(e.completion) AS completionSum
MATCH (v:Video {id: videoId})
UNWIND [
  ['views', v.views, views],
  ['completes', v.completes, completes],
  ['completionSum', v.completionSum, completionSum]
] AS check
WITH v, check
WHERE check[1] IS NULL OR abs(check[1] - check[2]) > 1e-6 * (1 + abs(check[2]))
RETURN 'Video' AS label, v.id AS id, check[0] AS counter, check[1] AS stored, check[2] AS recounted
ORDER BY id, counter
LIMIT $limit
