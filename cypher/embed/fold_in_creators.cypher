// Fold-in neighbourhood of some creators: the embedded videos each posted (newest
// first), the embedded users who follow them (most recent first) and their own user
// vector. Creators that do not exist are left out.
// Returns: id (string), videos, followers (lists of vectors), self (the user vector of the same
// person, or null).
// Parameters: $ids (list of strings); $neighbours (int: most videos and most
// followers looked at per creator).
// Used by: graph.embed.foldin (fyp embed --fold-in).
UNWIND $ids AS creatorId
MATCH (c:Creator {id: creatorId})
CALL (c) {
  MATCH (c)-[:POSTED]->(v:Video)
  WHERE v.embedding IS NOT NULL
  WITH v ORDER BY coalesce(v.createdAt, 0) DESC, v.id ASC
  LIMIT $neighbours
  RETURN collect(v.embedding) AS videos
}
CALL (c) {
  MATCH (u:User)-[f:FOLLOWS]->(c)
  WHERE u.embedding IS NOT NULL
  WITH u ORDER BY coalesce(f.at, 0) DESC, u.id ASC
  LIMIT $neighbours
  RETURN collect(u.embedding) AS followers
}
RETURN c.id AS id, videos, followers, c.embedding AS self
