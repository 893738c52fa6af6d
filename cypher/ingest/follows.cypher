// Upserts follow relationships (rows of the `follows` file: a snapshot, not events).
// User.following and User.followers grow only when the FOLLOWS relationship is new.
// A row is skipped when a stored `unfollow` event of the same pair is at or after its
// `at` (any unfollow, when `at` is null): the unfollow ended that follow, and importing
// the same snapshot again must not bring it back (ingest/events_follow keeps the other
// half: an unfollow older than the follow it meets leaves it). Skipped rows count as
// already present.
// Parameters: $rows (list of {userId, creatorId, at}; pairs unique within the list;
//   both users must exist; `at` may be null).
// Returns: created (int), how many rows were new follows.
// Used by: graph.ingest (import_dir / import_records).
UNWIND $rows AS row
MATCH (u:User {id: row.userId})
MATCH (c:User {id: row.creatorId})
WHERE NOT EXISTS {
  MATCH (ended:Event)
  WHERE ended.targetId = row.creatorId AND ended.userId = row.userId
        AND ended.type = 'unfollow' AND (row.at IS NULL OR ended.at >= row.at)
}
OPTIONAL MATCH (u)-[existing:FOLLOWS]->(c)
WITH row, u, c, existing IS NULL AS isNew
MERGE (u)-[f:FOLLOWS]->(c)
  ON CREATE SET f.at = row.at,
                u.following = coalesce(u.following, 0) + 1,
                c.followers = coalesce(c.followers, 0) + 1
RETURN sum(CASE WHEN isNew THEN 1 ELSE 0 END) AS created
