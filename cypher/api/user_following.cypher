// Pages of the creators users follow, most recent follow first, many pages in one round trip.
// Returns: key, follows (list of {creatorId, at}, at most $limit) for each page asked.
// Parameters: $pages (list of {key, id: user id, beforeAt: follow time of the cursor or
// null, beforeId: creator id of the cursor or null}), $limit (creators per page).
// Used by: api/loaders.py (User.following).
UNWIND $pages AS page
CALL (page) {
  MATCH (:User {id: page.id})-[f:FOLLOWS]->(c:Creator)
  WITH c, coalesce(f.at, 0) AS at
  WHERE page.beforeAt IS NULL OR at < page.beforeAt
        OR (at = page.beforeAt AND c.id < page.beforeId)
  WITH c, at ORDER BY at DESC, c.id DESC LIMIT $limit
  RETURN collect({creatorId: c.id, at: at}) AS follows
}
RETURN page.key AS key, follows
