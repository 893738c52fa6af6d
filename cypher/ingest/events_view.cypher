// Applies `view` events: one Event node each, then one VIEWED per (user, video) with
// count, watchMs (sum), completion (max), rewatches (sum), firstAt, lastAt, and the
// counters of the video (views, viewers, completes, completionSum, watchMsSum, rewatches).
// Events whose id is already stored are skipped inside this same transaction, so a
// replay (or a retried transaction) changes nothing.
// Parameters: $events (list of {id, type, at, userId, videoId, watchMs, completion,
//   rewatches}; ids unique within the list; user and video exist; completion is
//   watchMs / durationMs capped at 5, computed by the caller).
// Returns: loaded (int), how many events were new.
// Used by: the reference that graph.ingest.aggregate (the bulk path) mirrors; compared
//   with it in tests/integration/test_ingest_import.py.
UNWIND $events AS e
OPTIONAL MATCH (seen:Event {id: e.id})
WITH e WHERE seen IS NULL
CREATE (:Event {id: e.id, type: 'view', at: e.at, userId: e.userId, videoId: e.videoId,
                watchMs: e.watchMs, completion: e.completion, rewatches: e.rewatches})
WITH e.userId AS userId, e.videoId AS videoId,
     count(*) AS views,
     sum(e.watchMs) AS watchMs,
     max(e.completion) AS completion,
     sum(e.completion) AS completionSum,
     sum(CASE WHEN e.completion >= 0.95 THEN 1 ELSE 0 END) AS completes,
     sum(e.rewatches) AS rewatches,
     min(e.at) AS firstAt,
     max(e.at) AS lastAt
MATCH (u:User {id: userId})
MATCH (v:Video {id: videoId})
MERGE (u)-[r:VIEWED]->(v)
  ON CREATE SET r.count = 0, r.watchMs = 0, r.completion = 0.0, r.rewatches = 0,
                r.firstAt = firstAt, r.lastAt = lastAt
WITH v, r, r.count = 0 AS firstView, views, watchMs, completion, completionSum, completes,
     rewatches, firstAt, lastAt
SET r.count = r.count + views,
    r.watchMs = r.watchMs + watchMs,
    r.completion = CASE WHEN completion > r.completion THEN completion ELSE r.completion END,
    r.rewatches = r.rewatches + rewatches,
    r.firstAt = CASE WHEN firstAt < r.firstAt THEN firstAt ELSE r.firstAt END,
    r.lastAt = CASE WHEN lastAt > r.lastAt THEN lastAt ELSE r.lastAt END
WITH v,
     sum(views) AS views,
     sum(CASE WHEN firstView THEN 1 ELSE 0 END) AS viewers,
     sum(completes) AS completes,
     sum(completionSum) AS completionSum,
     sum(watchMs) AS watchMs,
     sum(rewatches) AS rewatches
SET v.views = coalesce(v.views, 0) + views,
    v.viewers = coalesce(v.viewers, 0) + viewers,
    v.completes = coalesce(v.completes, 0) + completes,
    v.completionSum = coalesce(v.completionSum, 0.0) + completionSum,
    v.watchMsSum = coalesce(v.watchMsSum, 0) + watchMs,
    v.rewatches = coalesce(v.rewatches, 0) + rewatches
RETURN sum(views) AS loaded
