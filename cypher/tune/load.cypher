// The settings `fyp tune` stored for this graph, if any.
// Returns: at most one row: settings (string, JSON), tunedAt (epoch ms).
// Parameters: none.
// Used by: graph.tune.settings (fyp precompute, fyp feed, fyp evaluate, the feed engine).
MATCH (tuned:TunedSettings {id: 'feed'})
RETURN tuned.settings AS settings, tuned.tunedAt AS tunedAt
