// Ingestion floor: one VIEWED relationship per (user, video) pair with the properties
// ingest/pairs_viewed stores, both ends found by element id (no index seek).
// Parameters: $pairs (list of {user, video, count, watchMs, completion, rewatches,
//   firstAt, lastAt}: user and video are element ids; pairs new).
// Returns: created (int), how many relationships were created.
// Used by: bench/ingest_floor.py (rung "pair_props").
UNWIND $pairs AS p
MATCH (u:User) WHERE elementId(u) = p.user
MATCH (v:Video) WHERE elementId(v) = p.video
CREATE (u)-[r:VIEWED {count: p.count, watchMs: p.watchMs, completion: p.completion,
                      rewatches: p.rewatches, firstAt: p.firstAt, lastAt: p.lastAt}]->(v)
RETURN count(r) AS created
