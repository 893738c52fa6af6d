// Hashtags by name, for the API's hashtag DataLoader.
// Returns: one row per name that exists: hashtag (map: name, videos).
// Parameters: $names (list of lower-case names without '#'). Used by: api/loaders.py.
UNWIND $names AS name
MATCH (h:Hashtag {name: name})
RETURN h {.name, .videos} AS hashtag
