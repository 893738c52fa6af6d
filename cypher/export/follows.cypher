// One page of follows as `follows` import records, by follower id.
// Returns one row: follows (list of maps: userId, creatorId, at).
// Parameters: $after (string: the last follower id of the previous page, '' first);
// $limit (int: followers per page; every follow of each is returned).
// Used by: graph.export (fyp tune).
MATCH (u:User)
WHERE u.id > $after
WITH u
ORDER BY u.id
LIMIT $limit
MATCH (u)-[f:FOLLOWS]->(c:User)
RETURN collect({userId: u.id, creatorId: c.id, at: f.at}) AS follows, max(u.id) AS last
