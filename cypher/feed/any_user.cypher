// Some user id, to warm the feed queries up (plans compiled, connections open) before
// the first real request.
// Returns: userId (one row, none in an empty graph). Parameters: none.
// Used by: graph.feed.engine.FeedEngine.warm_up.
MATCH (u:User)
RETURN u.id AS userId
LIMIT 1
