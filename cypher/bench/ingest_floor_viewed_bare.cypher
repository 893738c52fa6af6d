// Ingestion floor: one VIEWED relationship per (user, video) pair without properties,
// both ends found by element id (no index seek). A lower bound for the pair writes.
// Parameters: $pairs (list of maps with at least {user, video}: element ids of the User
//   and the Video; pairs new).
// Returns: created (int), how many relationships were created.
// Used by: bench/ingest_floor.py (rungs "bare" and "event_props").
UNWIND $pairs AS p
MATCH (u:User) WHERE elementId(u) = p.user
MATCH (v:Video) WHERE elementId(v) = p.video
CREATE (u)-[r:VIEWED]->(v)
RETURN count(r) AS created
