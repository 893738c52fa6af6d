// Erasure, last step: deletes the user node with whatever still hangs on it (settings,
// embedding and vector, "not interested" in creators, hashtags, sounds).
// Returns: users (1 when the user existed, else 0). Parameters: $userId.
// Used by: graph/privacy.py (delete_user_data).
OPTIONAL MATCH (u:User {id: $userId})
DETACH DELETE u
RETURN count(u) AS users
