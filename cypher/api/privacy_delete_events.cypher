// Erasure, step 4: deletes events by id (those that named the user, found beforehand).
// Returns: events (deleted). Parameters: $eventIds (list of Event ids).
// Used by: graph/privacy.py (delete_user_data).
UNWIND $eventIds AS id
MATCH (e:Event {id: id})
DELETE e
RETURN count(*) AS events
