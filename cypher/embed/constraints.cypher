// Uniqueness of embedding run ids (idempotent: IF NOT EXISTS).
// Returns: nothing. Parameters: none.
// Used by: graph.embed.runs.ensure_run_schema (fyp embed), once per statement.
CREATE CONSTRAINT embedding_run_id IF NOT EXISTS FOR (r:EmbeddingRun) REQUIRE r.id IS UNIQUE;
