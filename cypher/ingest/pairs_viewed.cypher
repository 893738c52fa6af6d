// Adds pre-aggregated new views to VIEWED, one row per (user, video): count and watchMs
// and rewatches add up, completion keeps the maximum, firstAt / lastAt widen.
// Parameters: $pairs (list of {userId, videoId, count, watchMs, completion, rewatches,
//   firstAt, lastAt}; one row per (user, video); count >= 1; user and video exist; the
//   events behind them are new: the caller checked their ids in this same transaction;
//   the caller has locked the videos first, see below).
// Returns: videoId, newViewers (int), one row per video that gained VIEWED relationships
//   (the caller adds them to Video.viewers with ingest/video_viewers).
// Used by: graph.ingest.events (the bulk path of import_dir / import_records / record_event).
UNWIND $pairs AS p
MATCH (u:User {id: p.userId})
MATCH (v:Video {id: p.videoId})
// Not MERGE: a relationship MERGE costs about three times a CREATE. Check, then CREATE a
// new one with its final values (one write) or add to the stored one. This is safe
// against concurrent writers because the caller's ingest/video_counters already holds
// the write lock of every video of the batch: any other transaction adding a VIEWED
// to one of them (MERGE locks both ends) waits for this one, or finished before it.
OPTIONAL MATCH (u)-[old:VIEWED]->(v)
FOREACH (_ IN CASE WHEN old IS NULL THEN [1] ELSE [] END |
  CREATE (u)-[:VIEWED {count: p.count, watchMs: p.watchMs, completion: p.completion,
                       rewatches: p.rewatches, firstAt: p.firstAt, lastAt: p.lastAt}]->(v)
)
FOREACH (r IN CASE WHEN old IS NULL THEN [] ELSE [old] END |
  SET r.count = r.count + p.count,
      r.watchMs = r.watchMs + p.watchMs,
      r.completion = CASE WHEN p.completion > r.completion THEN p.completion ELSE r.completion END,
      r.rewatches = r.rewatches + p.rewatches,
      r.firstAt = CASE WHEN p.firstAt < r.firstAt THEN p.firstAt ELSE r.firstAt END,
      r.lastAt = CASE WHEN p.lastAt > r.lastAt THEN p.lastAt ELSE r.lastAt END
)
WITH p, old WHERE old IS NULL
RETURN p.videoId AS videoId, count(*) AS newViewers
