// Sounds by id, for the API's sound DataLoader.
// Returns: one row per id that exists: sound (map: id, title, videos).
// Parameters: $ids (list of sound ids). Used by: api/loaders.py.
UNWIND $ids AS id
MATCH (s:Sound {id: id})
RETURN s {.id, .title, .videos} AS sound
