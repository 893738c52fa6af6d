// Adds one batch's pre-aggregated counter sums to each video (one row per video, so one
// write per video per batch instead of one per event). Runs BEFORE the batch's
// ingest/pairs_* writes: the write lock it takes on every video of the batch (held
// until commit) is what makes their check-then-CREATE safe against concurrent writers.
// Parameters: $videos (list of {id, views, completes, completionSum, watchMsSum,
//   rewatches, impressions, shares, comments, skips}: the sums over the batch's new
//   events, sorted by id so concurrent batches lock in one order; videos exist).
// Returns: videos (int), how many videos were updated.
// Used by: graph.ingest.events (the bulk path of import_dir / import_records / record_event).
UNWIND $videos AS c
MATCH (v:Video {id: c.id})
SET v.views = coalesce(v.views, 0) + c.views,
    v.completes = coalesce(v.completes, 0) + c.completes,
    v.completionSum = coalesce(v.completionSum, 0.0) + c.completionSum,
    v.watchMsSum = coalesce(v.watchMsSum, 0) + c.watchMsSum,
    v.rewatches = coalesce(v.rewatches, 0) + c.rewatches,
    v.impressions = coalesce(v.impressions, 0) + c.impressions,
    v.shares = coalesce(v.shares, 0) + c.shares,
    v.comments = coalesce(v.comments, 0) + c.comments,
    v.skips = coalesce(v.skips, 0) + c.skips
RETURN count(*) AS videos
