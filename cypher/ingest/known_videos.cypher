// Which of the given video ids exist, with their duration (to validate watch time).
// Returns: id, durationMs, one row per existing video. Parameters: $ids (list of string ids).
// Used by: graph.ingest.known (existence checks of an import, one read per batch).
UNWIND $ids AS id
MATCH (v:Video {id: id})
RETURN v.id AS id, v.durationMs AS durationMs
