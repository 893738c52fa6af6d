// Signs a viewer up: creates the User when the id is new, leaves an existing one as it is.
// Returns: one row: created (bool, true when this call made the user), user (map: id,
// name, createdAt, followers, following, videos, isCreator), interests (list or null).
// Parameters: $userId, $displayName, $interests (list of hashtag names), $now (epoch ms).
// Concurrent sign-ups of one id: the User.id uniqueness constraint lets one MERGE create
// it; the other fails with a constraint error and is re-run, finding it.
// Used by: graph/accounts.py (register_user).
OPTIONAL MATCH (existing:User {id: $userId})
WITH existing IS NULL AS created
MERGE (u:User {id: $userId})
  ON CREATE SET u.name = $displayName, u.createdAt = $now, u.registeredAt = $now,
                u.followers = 0, u.following = 0, u.interests = $interests
RETURN created,
       u {.id, .name, .createdAt, .followers, .following, .videos, isCreator: u:Creator} AS user,
       u.interests AS interests
