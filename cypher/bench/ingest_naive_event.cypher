// The naive ingestion baseline: ONE interaction per query, sent as its own auto-commit
// transaction. MERGEs the Event node, then the relationship and counters of a view,
// skip, like, share or comment. Only its rate matters (compared with the batched path).
// Returns: id (the event id; no row when the user or the video is missing).
// Parameters: $id, $type, $at, $userId, $videoId (strings / epoch ms), $watchMs (int,
//   0 unless a view), $completion (float, 0 unless a view).
// Used by: bench/ingest.py (baseline_events_per_s).
MERGE (e:Event {id: $id})
  ON CREATE SET e.type = $type, e.at = $at, e.userId = $userId, e.videoId = $videoId
WITH e
MATCH (u:User {id: $userId})
MATCH (v:Video {id: $videoId})
FOREACH (_ IN CASE WHEN $type = 'view' THEN [1] ELSE [] END |
  MERGE (u)-[r:VIEWED]->(v)
    ON CREATE SET r.count = 0, r.watchMs = 0, r.completion = 0.0, r.rewatches = 0,
                  r.firstAt = $at, v.viewers = v.viewers + 1
  SET r.count = r.count + 1, r.watchMs = r.watchMs + $watchMs, r.lastAt = $at,
      r.completion = CASE WHEN $completion > r.completion THEN $completion ELSE r.completion END,
      v.views = v.views + 1, v.watchMsSum = v.watchMsSum + $watchMs,
      v.completionSum = v.completionSum + $completion,
      v.completes = v.completes + CASE WHEN $completion >= 0.95 THEN 1 ELSE 0 END
)
FOREACH (_ IN CASE WHEN $type = 'skip' THEN [1] ELSE [] END |
  MERGE (u)-[r:SKIPPED]->(v) ON CREATE SET r.count = 0
  SET r.count = r.count + 1, r.lastAt = $at, v.skips = v.skips + 1
)
FOREACH (_ IN CASE WHEN $type = 'like' THEN [1] ELSE [] END |
  MERGE (u)-[r:LIKED]->(v) ON CREATE SET r.at = $at, v.likes = v.likes + 1
)
FOREACH (_ IN CASE WHEN $type = 'share' THEN [1] ELSE [] END |
  MERGE (u)-[r:SHARED]->(v) ON CREATE SET r.count = 0, r.firstAt = $at
  SET r.count = r.count + 1, r.lastAt = $at, v.shares = v.shares + 1
)
FOREACH (_ IN CASE WHEN $type = 'comment' THEN [1] ELSE [] END |
  MERGE (u)-[r:COMMENTED]->(v) ON CREATE SET r.count = 0, r.firstAt = $at
  SET r.count = r.count + 1, r.lastAt = $at, v.comments = v.comments + 1
)
RETURN e.id AS id
