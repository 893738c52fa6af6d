// Adds pre-aggregated new skip events to SKIPPED, one row per (user, video): count adds
// up, lastAt keeps the latest.
// Parameters: $pairs (list of {userId, videoId, count, lastAt}; one row per (user, video);
//   user and video exist; the events behind them are new: the caller checked their ids
//   in this same transaction; the caller has locked the videos first, see below).
// Returns: pairs (int), how many rows were applied.
// Used by: graph.ingest.events (the bulk path of import_dir / import_records / record_event).
UNWIND $pairs AS p
MATCH (u:User {id: p.userId})
MATCH (v:Video {id: p.videoId})
// Not MERGE: a relationship MERGE costs about three times a CREATE. Check, then CREATE a
// new one with its final values (one write) or add to the stored one. This is safe
// against concurrent writers because the caller's ingest/video_counters already holds
// the write lock of every video of the batch: any other transaction adding a SKIPPED
// to one of them (MERGE locks both ends) waits for this one, or finished before it.
OPTIONAL MATCH (u)-[old:SKIPPED]->(v)
FOREACH (_ IN CASE WHEN old IS NULL THEN [1] ELSE [] END |
  CREATE (u)-[:SKIPPED {count: p.count, lastAt: p.lastAt}]->(v)
)
FOREACH (r IN CASE WHEN old IS NULL THEN [] ELSE [old] END |
  SET r.count = r.count + p.count,
      r.lastAt = CASE WHEN p.lastAt > r.lastAt THEN p.lastAt ELSE r.lastAt END
)
RETURN count(*) AS pairs
