// Applies `share` events: one Event node each, then one SHARED per (user, video) with count,
// firstAt, lastAt, and Video.shares. Events whose id is already stored are skipped in
// this same transaction, so a replay (or a retried transaction) changes nothing.
// Parameters: $events (list of {id, type, at, userId, videoId}; ids unique within the
//   list; user and video exist).
// Returns: loaded (int), how many events were new.
// Used by: the reference that graph.ingest.aggregate (the bulk path) mirrors; compared
//   with it in tests/integration/test_ingest_import.py.
UNWIND $events AS e
OPTIONAL MATCH (seen:Event {id: e.id})
WITH e WHERE seen IS NULL
CREATE (:Event {id: e.id, type: 'share', at: e.at, userId: e.userId, videoId: e.videoId})
WITH e.userId AS userId, e.videoId AS videoId, count(*) AS n,
     min(e.at) AS firstAt, max(e.at) AS lastAt
MATCH (u:User {id: userId})
MATCH (v:Video {id: videoId})
MERGE (u)-[r:SHARED]->(v)
  ON CREATE SET r.count = 0, r.firstAt = firstAt, r.lastAt = lastAt
SET r.count = r.count + n,
    r.firstAt = CASE WHEN firstAt < r.firstAt THEN firstAt ELSE r.firstAt END,
    r.lastAt = CASE WHEN lastAt > r.lastAt THEN lastAt ELSE r.lastAt END
WITH v, sum(n) AS n
SET v.shares = coalesce(v.shares, 0) + n
RETURN sum(n) AS loaded
