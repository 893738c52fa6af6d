// Which of the given sound ids exist.
// Returns: id, one row per existing sound. Parameters: $ids (list of string ids).
// Used by: graph.ingest.known (targets of not_interested events).
UNWIND $ids AS id
MATCH (s:Sound {id: id})
RETURN s.id AS id
