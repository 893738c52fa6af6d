// Applies `not_interested` events: NOT_INTERESTED {at} from the user to a video, a
// creator, a hashtag or a sound (created once; the first time wins), and
// Video.notInterested when the target is a new video. One Event node per event;
// events whose id is already stored are skipped in this same transaction.
// Parameters: $events (list of {id, type, at, userId, videoId, targetKind, targetId};
//   targetKind is video, creator, hashtag or sound; ids unique within the
//   list; the user and the target exist; videoId is the context video, may be null).
// Returns: loaded (int), how many events were new.
// Used by: graph.ingest (interactions of import_dir / import_records / record_event).
UNWIND $events AS e
OPTIONAL MATCH (seen:Event {id: e.id})
WITH e WHERE seen IS NULL
CREATE (:Event {id: e.id, type: 'not_interested', at: e.at, userId: e.userId,
                videoId: e.videoId, targetKind: e.targetKind, targetId: e.targetId})
WITH e
MATCH (u:User {id: e.userId})
CALL (e) {
  MATCH (target:Video {id: e.targetId}) WHERE e.targetKind = 'video'
  RETURN target
  UNION
  MATCH (target:User {id: e.targetId}) WHERE e.targetKind = 'creator'
  RETURN target
  UNION
  MATCH (target:Hashtag {name: e.targetId}) WHERE e.targetKind = 'hashtag'
  RETURN target
  UNION
  MATCH (target:Sound {id: e.targetId}) WHERE e.targetKind = 'sound'
  RETURN target
}
MERGE (u)-[r:NOT_INTERESTED]->(target)
  ON CREATE SET r.at = e.at,
                target.notInterested = CASE WHEN e.targetKind = 'video'
                                            THEN coalesce(target.notInterested, 0) + 1
                                            ELSE target.notInterested END
RETURN count(*) AS loaded
