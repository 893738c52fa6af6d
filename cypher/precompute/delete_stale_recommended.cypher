// Deletes up to $limit RECOMMENDED relationships that the current run did not write
// (their computedAt differs from $computedAt): the lists of viewers who no longer have
// any engagement to score, e.g. after erasure. Called until it deletes fewer than $limit.
// Returns: deleted (relationships deleted by this call).
// Parameters: $computedAt (epoch ms of the current run); $limit (int).
// Used by: graph.precompute.recommendations (`fyp precompute`).
MATCH (:User)-[r:RECOMMENDED]->(:Video)
WHERE r.computedAt <> $computedAt
WITH r
LIMIT $limit
DELETE r
RETURN count(*) AS deleted
