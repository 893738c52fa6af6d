// Which of the given event ids are stored (each accepted interaction leaves an Event node).
// Returns: id, type, one row per stored event. Parameters: $ids (list of event ids).
// Used by: graph.ingest.events (which counted events of a batch are stored, checked in
//   the write transaction); tests/integration/test_ingest_*.py; the API.
UNWIND $ids AS id
MATCH (e:Event {id: id})
RETURN e.id AS id, e.type AS type
