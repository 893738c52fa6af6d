// Applies `follow` and `unfollow` events in list order (the caller sorts them by time):
// follow creates FOLLOWS {at} when there was none, bumps User.following / followers and,
// when the event names the video it came from, the follows counter of that video.
// Unfollow removes FOLLOWS and decrements the user counters only when it existed and
// began at or before the unfollow (a FOLLOWS without `at` counts as older): a stale
// unfollow does not end a later follow, so a follows snapshot and the events agree
// whatever the import order (see ingest/follows). One Event node per event; events
// whose id is already stored are skipped in this same transaction.
// Parameters: $events (list of {id, type, at, userId, targetKind, targetId, videoId};
//   targetId is the followed user; ids unique within the list; the users exist;
//   videoId may be null).
// Returns: loaded (int), how many events were new.
// Used by: graph.ingest (interactions of import_dir / import_records / record_event).
UNWIND $events AS e
OPTIONAL MATCH (seen:Event {id: e.id})
WITH e WHERE seen IS NULL
CREATE (:Event {id: e.id, type: e.type, at: e.at, userId: e.userId, videoId: e.videoId,
                targetKind: e.targetKind, targetId: e.targetId})
WITH e
MATCH (u:User {id: e.userId})
MATCH (c:User {id: e.targetId})
OPTIONAL MATCH (v:Video {id: e.videoId})
// One subquery per event: each sees what the previous events did.
CALL (e, u, c, v) {
  OPTIONAL MATCH (u)-[old:FOLLOWS]->(c)
  FOREACH (_ IN CASE WHEN e.type = 'follow' AND old IS NULL THEN [1] ELSE [] END |
    CREATE (u)-[:FOLLOWS {at: e.at}]->(c)
    SET u.following = coalesce(u.following, 0) + 1,
        c.followers = coalesce(c.followers, 0) + 1
  )
  FOREACH (video IN CASE WHEN e.type = 'follow' AND old IS NULL AND v IS NOT NULL
                         THEN [v] ELSE [] END |
    SET video.follows = coalesce(video.follows, 0) + 1
  )
  FOREACH (_ IN CASE WHEN e.type = 'unfollow' AND old IS NOT NULL
                      AND coalesce(old.at, e.at) <= e.at THEN [1] ELSE [] END |
    DELETE old
    SET u.following = coalesce(u.following, 1) - 1,
        c.followers = coalesce(c.followers, 1) - 1
  )
}
RETURN count(*) AS loaded
