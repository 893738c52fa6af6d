// Erasure, step 3: deletes the videos a user posted (their content) with everything
// attached to them; their hashtags and sounds count one video fewer each. Each leaves
// a DeletedVideo {id, at} tombstone (the id only) for $retentionMs, so every API
// process drops the video from its read model at its next refresh; older tombstones
// are removed here.
// Returns: videos (deleted). Parameters: $userId; $retentionMs (int).
// Used by: graph/privacy.py (delete_user_data).
CALL () {
  MATCH (old:DeletedVideo)
  WHERE old.at < timestamp() - $retentionMs
  DELETE old
}
MATCH (u:User {id: $userId})
CALL (u) {
  MATCH (u)-[:POSTED]->(v:Video)
  CALL (v) {
    MATCH (v)-[:TAGGED]->(h:Hashtag)
    SET h.videos = CASE WHEN h.videos > 0 THEN h.videos - 1 ELSE 0 END
    RETURN count(h) AS hashtags
  }
  CALL (v) {
    MATCH (v)-[:USES_SOUND]->(s:Sound)
    SET s.videos = CASE WHEN s.videos > 0 THEN s.videos - 1 ELSE 0 END
    RETURN count(s) AS sounds
  }
  MERGE (tombstone:DeletedVideo {id: v.id})
  SET tombstone.at = timestamp()
  DETACH DELETE v
  RETURN count(*) AS videos
}
RETURN videos
