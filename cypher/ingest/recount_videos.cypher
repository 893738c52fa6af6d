// Videos whose stored counters disagree with a recount from their relationships
// (views, viewers, watchMsSum, rewatches from VIEWED; likes from LIKED; shares,
// comments, skips, impressions from the count of SHARED, COMMENTED, SKIPPED, SERVED;
// notInterested from NOT_INTERESTED). Counter drift check for analysts and tests.
// Returns: label, id, counter, stored, recounted; one row per disagreement, none when
//   consistent. Parameters: $limit (int, most rows returned).
// Used by: tests/integration/test_ingest_*.py; analysts (fyp query run ingest/recount_videos).
MATCH (v:Video)
WITH v, [
  ['views', v.views, reduce(total = 0, n IN [(v)<-[r:VIEWED]-() | r.count] | total + n)],
  ['viewers', v.viewers, COUNT { (v)<-[:VIEWED]-() }],
  ['watchMsSum', v.watchMsSum, reduce(total = 0, n IN [(v)<-[r:VIEWED]-() | r.watchMs] | total + n)],
  ['rewatches', v.rewatches, reduce(total = 0, n IN [(v)<-[r:VIEWED]-() | r.rewatches] | total + n)],
  ['likes', v.likes, COUNT { (v)<-[:LIKED]-() }],
  ['shares', v.shares, reduce(total = 0, n IN [(v)<-[r:SHARED]-() | r.count] | total + n)],
  ['comments', v.comments, reduce(total = 0, n IN [(v)<-[r:COMMENTED]-() | r.count] | total + n)],
  ['skips', v.skips, reduce(total = 0, n IN [(v)<-[r:SKIPPED]-() | r.count] | total + n)],
  ['impressions', v.impressions, reduce(total = 0, n IN [(v)<-[r:SERVED]-() | r.count] | total + n)],
  ['notInterested', v.notInterested, COUNT { (v)<-[:NOT_INTERESTED]-() }]
] AS checks
UNWIND checks AS check
WITH v, check WHERE check[1] IS NULL OR check[1] <> check[2]
RETURN 'Video' AS label, v.id AS id, check[0] AS counter, check[1] AS stored, check[2] AS recounted
ORDER BY id, counter
LIMIT $limit
