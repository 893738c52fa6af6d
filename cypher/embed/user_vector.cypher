// The stored embedding of a user, to look up nearest videos (or decide to fold one in).
// Returns: at most one row: embedding (list of floats, or null when not embedded).
// Parameters: $userId (string).
// Used by: graph.embed.similar (nearest_videos_for_user and its async variant).
MATCH (u:User {id: $userId})
RETURN u.embedding AS embedding
