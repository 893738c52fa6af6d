// Which of the given user ids exist (creators are users too).
// Returns: id, one row per existing user. Parameters: $ids (list of string ids).
// Used by: graph.ingest.known (existence checks of an import, one read per batch).
UNWIND $ids AS id
MATCH (u:User {id: id})
RETURN u.id AS id
