// The interaction events a user made (Event nodes with their userId), oldest first.
// Returns: event (every property of the Event node), one row per event.
// Parameters: $userId. Used by: graph/privacy.py (export_user_data).
MATCH (e:Event)
WHERE e.userId = $userId
RETURN properties(e) AS event
ORDER BY e.at, e.id
