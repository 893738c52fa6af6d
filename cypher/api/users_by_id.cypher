// Users (and creators) by id, for the API's user DataLoader.
// Returns: one row per id that exists: user (map: id, name, createdAt, followers,
// following, videos, isCreator). Missing ids give no row.
// Parameters: $ids (list of user ids). Used by: api/loaders.py.
UNWIND $ids AS id
MATCH (u:User {id: id})
RETURN u {.id, .name, .createdAt, .followers, .following, .videos, isCreator: u:Creator} AS user
