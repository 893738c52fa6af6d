// Stores the settings `fyp tune` chose for this graph (one node; a rerun replaces them):
// the item model of `fyp precompute`, the feed's scoring weights, and its default
// diversity and exploration. Every API process picks them up at its next refresh.
// Returns: tunedAt (epoch ms). Parameters: $settings (string: the settings as JSON,
// graph.tune.settings.TunedSettings); $tunedAt (epoch ms).
// Used by: graph.tune.settings (fyp tune).
MERGE (tuned:TunedSettings {id: 'feed'})
SET tuned.settings = $settings, tuned.tunedAt = $tunedAt
RETURN tuned.tunedAt AS tunedAt
