// Marks a finished precompute run, so every API process reloads the new co-engagement
// neighbours into its read model (they watch this node's computedAt).
// Returns: computedAt (epoch ms). Parameters: $computedAt (epoch ms of the run).
// Used by: graph.precompute.co_engagement (fyp precompute, at the end of a run).
MERGE (run:PrecomputeRun {id: 'co_engagement'})
SET run.computedAt = $computedAt
RETURN run.computedAt AS computedAt
