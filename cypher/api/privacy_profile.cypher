// Everything stored on and around a user, for exportMyData (events: api/privacy_my_events).
// Returns: one row when the user exists: user (every property, embedding included),
// labels, outgoing (list of {type, targetLabels, targetId, properties}: follows, views,
// likes, shares, comments, skips, impressions, not-interested, archived signals, posts),
// followers (list of {userId, at}), posted (list of the user's videos' properties, their
// embeddings left out).
// Parameters: $userId. Used by: graph/privacy.py (export_user_data).
MATCH (u:User {id: $userId})
RETURN properties(u) AS user, labels(u) AS labels,
  COLLECT {
    MATCH (u)-[r]->(t)
    RETURN {type: type(r), targetLabels: labels(t), targetId: coalesce(t.id, t.name),
            properties: properties(r)}
  } AS outgoing,
  COLLECT { MATCH (f:User)-[r:FOLLOWS]->(u) RETURN {userId: f.id, at: r.at} } AS followers,
  COLLECT { MATCH (u)-[:POSTED]->(v:Video) RETURN v {.*, embedding: null} } AS posted
