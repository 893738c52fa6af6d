// Adds the viewers a batch's views made (VIEWED relationships ingest/pairs_viewed created)
// to Video.viewers.
// Parameters: $videos (list of {id, viewers}; viewers > 0; videos exist).
// Returns: videos (int), how many videos were updated.
// Used by: graph.ingest.events (the bulk path of import_dir / import_records / record_event).
UNWIND $videos AS c
MATCH (v:Video {id: c.id})
SET v.viewers = coalesce(v.viewers, 0) + c.viewers
RETURN count(*) AS videos
