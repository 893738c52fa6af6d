// Users whose follower / following counters (and, for creators, the count of videos
// posted) disagree with a recount of FOLLOWS and POSTED relationships.
// Returns: label, id, counter, stored, recounted; one row per disagreement, none when
//   consistent. Parameters: $limit (int, most rows returned).
// Used by: tests/integration/test_ingest_*.py; analysts (fyp query run ingest/recount_users).
MATCH (u:User)
WITH u, [
  ['followers', u.followers, COUNT { (u)<-[:FOLLOWS]-() }],
  ['following', u.following, COUNT { (u)-[:FOLLOWS]->() }]
] + CASE WHEN u:Creator THEN [['videos', u.videos, COUNT { (u)-[:POSTED]->() }]] ELSE [] END
  AS checks
UNWIND checks AS check
WITH u, check WHERE check[1] IS NULL OR check[1] <> check[2]
RETURN CASE WHEN u:Creator THEN 'Creator' ELSE 'User' END AS label, u.id AS id,
       check[0] AS counter, check[1] AS stored, check[2] AS recounted
ORDER BY id, counter
LIMIT $limit
