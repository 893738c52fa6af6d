// How many nodes of each embedded kind exist and how many carry a vector.
// Returns: kind (user | creator | video | hashtag | sound), nodes (int), embedded (int).
// Parameters: none.
// Used by: graph.embed.store.coverage (fyp embed summary, tests).
MATCH (n:User)
RETURN 'user' AS kind, count(n) AS nodes, count(n.embedding) AS embedded
UNION ALL
MATCH (n:Creator)
RETURN 'creator' AS kind, count(n) AS nodes, count(n.creatorEmbedding) AS embedded
UNION ALL
MATCH (n:Video)
RETURN 'video' AS kind, count(n) AS nodes, count(n.embedding) AS embedded
UNION ALL
MATCH (n:Hashtag)
RETURN 'hashtag' AS kind, count(n) AS nodes, count(n.embedding) AS embedded
UNION ALL
MATCH (n:Sound)
RETURN 'sound' AS kind, count(n) AS nodes, count(n.embedding) AS embedded
