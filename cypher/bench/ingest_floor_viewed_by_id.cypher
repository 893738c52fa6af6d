// Ingestion floor: as bench/ingest_floor_viewed_props, but both ends found by their ids
// (unique index seeks), as the project's pairs files find them; always CREATE.
// Parameters: $pairs (list of {userId, videoId, count, watchMs, completion, rewatches,
//   firstAt, lastAt}; pairs new; user and video exist).
// Returns: created (int), how many relationships were created.
// Used by: bench/ingest_floor.py (rung "match_by_id").
UNWIND $pairs AS p
MATCH (u:User {id: p.userId})
MATCH (v:Video {id: p.videoId})
CREATE (u)-[r:VIEWED {count: p.count, watchMs: p.watchMs, completion: p.completion,
                      rewatches: p.rewatches, firstAt: p.firstAt, lastAt: p.lastAt}]->(v)
RETURN count(r) AS created
