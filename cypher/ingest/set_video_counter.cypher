// Sets one counter of one video: to repair drift that recount_videos or
// recount_video_events found (set it to the recounted value), or to simulate drift in tests.
// Only the counters of docs/model.md can be set, never id or other properties.
// Returns: id (no row when the video or the counter name is unknown).
// Parameters: $videoId (string), $counter (counter name, e.g. views), $value (number).
// Used by: tests/integration/test_ingest_import.py; operators repairing counters.
MATCH (v:Video {id: $videoId})
WHERE $counter IN ['views', 'viewers', 'completes', 'completionSum', 'watchMsSum', 'rewatches',
                   'likes', 'shares', 'comments', 'skips', 'notInterested', 'impressions',
                   'follows']
SET v[$counter] = $value
RETURN v.id AS id
