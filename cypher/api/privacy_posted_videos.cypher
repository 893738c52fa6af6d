// Ids of the videos a user posted (deleted with them: they are their content).
// Returns: videoId per video. Parameters: $userId.
// Used by: graph/privacy.py (delete_user_data).
MATCH (:User {id: $userId})-[:POSTED]->(v:Video)
RETURN v.id AS videoId
