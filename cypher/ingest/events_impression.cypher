// Applies `impression` events (videos the engine served): one Event node each, then
// one SERVED per (user, video) with count, firstAt, lastAt and the latest requestId,
// and Video.impressions. Events whose id is already stored are skipped in this same
// transaction (replay-safe).
// Parameters: $events (list of {id, type, at, userId, videoId, requestId}, sorted by
//   time; ids unique within the list; requestId may be null; events of a user or video
//   that does not exist are skipped).
// Returns: loaded (int), how many events were new.
// Used by: graph.feed.engine (impressions of a served page); the reference that
//   graph.ingest.aggregate (the bulk path) mirrors, compared in tests/integration/test_ingest_import.py.
UNWIND $events AS e
OPTIONAL MATCH (seen:Event {id: e.id})
WITH e WHERE seen IS NULL
// An impression written behind the response may outlive its viewer (erased meanwhile)
// or its video: then it leaves nothing, not even its Event.
MATCH (u:User {id: e.userId})
MATCH (v:Video {id: e.videoId})
CREATE (:Event {id: e.id, type: 'impression', at: e.at, userId: e.userId,
                videoId: e.videoId, requestId: e.requestId})
WITH u, v, count(*) AS n, min(e.at) AS firstAt, max(e.at) AS lastAt,
     collect(e.requestId) AS requestIds
MERGE (u)-[r:SERVED]->(v)
  ON CREATE SET r.count = 0, r.firstAt = firstAt, r.lastAt = lastAt
SET r.count = r.count + n,
    r.firstAt = CASE WHEN firstAt < r.firstAt THEN firstAt ELSE r.firstAt END,
    r.requestId = CASE WHEN lastAt >= r.lastAt THEN coalesce(requestIds[-1], r.requestId)
                       ELSE r.requestId END,
    r.lastAt = CASE WHEN lastAt > r.lastAt THEN lastAt ELSE r.lastAt END
WITH v, sum(n) AS n
SET v.impressions = coalesce(v.impressions, 0) + n
RETURN sum(n) AS loaded
