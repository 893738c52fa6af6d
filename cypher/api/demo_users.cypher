// A few users worth showing in the demo page: the most active viewers (by videos viewed).
// Returns: userId, viewed (count), at most $limit rows, most active first.
// Parameters: $limit. Used by: `fyp serve` (prints demo links), dev mode only.
MATCH (u:User)
WITH u, COUNT { (u)-[:VIEWED]->() } AS viewed
WHERE viewed > 0
RETURN u.id AS userId, viewed
ORDER BY viewed DESC, userId
LIMIT $limit
