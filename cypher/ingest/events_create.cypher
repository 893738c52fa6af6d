// Creates one Event node per new counted event (view, impression, share, comment, skip).
// The caller has already checked, in this same transaction, that no id is stored
// (ingest/known_events), so CREATE is safe: a retried transaction checks again.
// Parameters: $events (list of maps: the Event properties {id, type, at, userId, videoId,
//   and watchMs, completion, rewatches for views, requestId for impressions}; a key
//   absent or null is not stored; ids unique within the list and not stored).
// Returns: created (int), how many Event nodes were created.
// Used by: graph.ingest.events (the bulk path of import_dir / import_records / record_event).
// Properties inline in CREATE (not SET n = e): one write per node, measurably cheaper.
UNWIND $events AS e
CREATE (n:Event {id: e.id, type: e.type, at: e.at, userId: e.userId, videoId: e.videoId,
                 watchMs: e.watchMs, completion: e.completion, rewatches: e.rewatches,
                 requestId: e.requestId})
RETURN count(n) AS created
