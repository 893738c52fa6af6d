// Marks video vectors as folded in (from neighbours, not trained), so later fold-ins
// refresh them as the videos' first viewers arrive; the next full run's write clears it.
// Returns: marked (int).
// Parameters: $ids (list of strings: Video ids).
// Used by: graph.embed.foldin (fold_in_missing, fold_in_new_videos).
UNWIND $ids AS videoId
MATCH (v:Video {id: videoId})
SET v.embeddingFolded = true
RETURN count(v) AS marked
