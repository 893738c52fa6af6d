// Every vector written by an embedding run, for checks and ad-hoc inspection.
// Returns: labels (list of strings), id (id of the node, or name of a hashtag),
// embedding, creatorEmbedding (lists of floats or null), run (string: embeddingRun).
// Parameters: none.
// Used by: the embedding integration tests (reproducibility, coverage), bench/embed.py.
MATCH (n)
WHERE n.embeddingRun IS NOT NULL
RETURN labels(n) AS labels, coalesce(n.id, n.name) AS id, n.embedding AS embedding,
       n.creatorEmbedding AS creatorEmbedding, n.embeddingRun AS run
ORDER BY id
