// Adds pre-aggregated new impression events to SERVED, one row per (user, video):
// count adds up, firstAt / lastAt widen, requestId follows the latest event.
// Parameters: $pairs (list of {userId, videoId, count, firstAt, lastAt, requestId}; one
//   row per (user, video); requestId is the latest non-null one, may be null; user and
//   video exist; the events behind them are new: the caller checked their ids in this
//   same transaction; the caller has locked the videos first, see below).
// Returns: pairs (int), how many rows were applied.
// Used by: graph.ingest.events (the bulk path of import_dir / import_records / record_event).
UNWIND $pairs AS p
MATCH (u:User {id: p.userId})
MATCH (v:Video {id: p.videoId})
// Not MERGE: a relationship MERGE costs about three times a CREATE. Check, then CREATE a
// new one with its final values (one write) or add to the stored one. This is safe
// against concurrent writers because the caller's ingest/video_counters already holds
// the write lock of every video of the batch: any other transaction adding a SERVED
// to one of them (MERGE locks both ends) waits for this one, or finished before it.
OPTIONAL MATCH (u)-[old:SERVED]->(v)
FOREACH (_ IN CASE WHEN old IS NULL THEN [1] ELSE [] END |
  CREATE (u)-[:SERVED {count: p.count, firstAt: p.firstAt, lastAt: p.lastAt, requestId: p.requestId}]->(v)
)
FOREACH (r IN CASE WHEN old IS NULL THEN [] ELSE [old] END |
  SET r.count = r.count + p.count,
      r.firstAt = CASE WHEN p.firstAt < r.firstAt THEN p.firstAt ELSE r.firstAt END,
      // Compared with the stored lastAt, so set before lastAt moves.
      r.requestId = CASE WHEN p.lastAt >= r.lastAt THEN coalesce(p.requestId, r.requestId)
                         ELSE r.requestId END,
      r.lastAt = CASE WHEN p.lastAt > r.lastAt THEN p.lastAt ELSE r.lastAt END
)
RETURN count(*) AS pairs
