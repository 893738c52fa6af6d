// Erasure, step 2: removes a user from the follow graph, keeping the counters right:
// creators they followed lose a follower, users who followed them follow one fewer,
// and videos their follows were attributed to lose those follows ($followVideos).
// Returns: following (follows removed), followers (follows of them removed).
// Parameters: $userId; $followVideos (list of {videoId, follows}: the user's follow
// events per video they came from). Used by: graph/privacy.py (delete_user_data).
MATCH (u:User {id: $userId})
CALL (u) {
  MATCH (u)-[r:FOLLOWS]->(c:User)
  SET c.followers = CASE WHEN c.followers > 0 THEN c.followers - 1 ELSE 0 END
  DELETE r
  RETURN count(*) AS following
}
CALL (u) {
  MATCH (f:User)-[r:FOLLOWS]->(u)
  SET f.following = CASE WHEN f.following > 0 THEN f.following - 1 ELSE 0 END
  DELETE r
  RETURN count(*) AS followers
}
CALL () {
  UNWIND $followVideos AS s
  MATCH (v:Video {id: s.videoId})
  SET v.follows = CASE WHEN v.follows > s.follows THEN v.follows - s.follows ELSE 0 END
  RETURN count(v) AS videos
}
RETURN following, followers
