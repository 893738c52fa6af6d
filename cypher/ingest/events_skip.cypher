// Applies `skip` events (swiped away in the first seconds): one Event node each, then
// one SKIPPED per (user, video) with count and lastAt, and Video.skips. Events whose
// id is already stored are skipped in this same transaction (replay-safe).
// Parameters: $events (list of {id, type, at, userId, videoId}; ids unique within the
//   list; user and video exist).
// Returns: loaded (int), how many events were new.
// Used by: the reference that graph.ingest.aggregate (the bulk path) mirrors; compared
//   with it in tests/integration/test_ingest_import.py.
UNWIND $events AS e
OPTIONAL MATCH (seen:Event {id: e.id})
WITH e WHERE seen IS NULL
CREATE (:Event {id: e.id, type: 'skip', at: e.at, userId: e.userId, videoId: e.videoId})
WITH e.userId AS userId, e.videoId AS videoId, count(*) AS n, max(e.at) AS lastAt
MATCH (u:User {id: userId})
MATCH (v:Video {id: videoId})
MERGE (u)-[r:SKIPPED]->(v)
  ON CREATE SET r.count = 0, r.lastAt = lastAt
SET r.count = r.count + n,
    r.lastAt = CASE WHEN lastAt > r.lastAt THEN lastAt ELSE r.lastAt END
WITH v, sum(n) AS n
SET v.skips = coalesce(v.skips, 0) + n
RETURN sum(n) AS loaded
