// Applies `like` and `unlike` events in list order (the caller sorts them by time):
// like creates LIKED {at} and bumps Video.likes when there was none; unlike removes
// LIKED and decrements Video.likes only when it existed. One Event node per event;
// events whose id is already stored are skipped in this same transaction (replay-safe).
// Parameters: $events (list of {id, type, at, userId, videoId}; ids unique within the
//   list; user and video exist).
// Returns: loaded (int), how many events were new.
// Used by: graph.ingest (interactions of import_dir / import_records / record_event).
UNWIND $events AS e
OPTIONAL MATCH (seen:Event {id: e.id})
WITH e WHERE seen IS NULL
CREATE (:Event {id: e.id, type: e.type, at: e.at, userId: e.userId, videoId: e.videoId})
WITH e
MATCH (u:User {id: e.userId})
MATCH (v:Video {id: e.videoId})
// One subquery per event: each sees what the previous events did.
CALL (e, u, v) {
  OPTIONAL MATCH (u)-[old:LIKED]->(v)
  FOREACH (_ IN CASE WHEN e.type = 'like' AND old IS NULL THEN [1] ELSE [] END |
    CREATE (u)-[:LIKED {at: e.at}]->(v)
    SET v.likes = coalesce(v.likes, 0) + 1
  )
  FOREACH (_ IN CASE WHEN e.type = 'unlike' AND old IS NOT NULL THEN [1] ELSE [] END |
    DELETE old
    SET v.likes = coalesce(v.likes, 1) - 1
  )
}
RETURN count(*) AS loaded
