// Which of the given hashtag names (normalised: lower case, no leading #) exist.
// Returns: id (the name), one row per existing hashtag. Parameters: $ids (list of names).
// Used by: graph.ingest.known (targets of not_interested events).
UNWIND $ids AS id
MATCH (h:Hashtag {name: id})
RETURN h.name AS id
