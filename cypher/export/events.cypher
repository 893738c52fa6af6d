// One page of interaction events (every property of the Event nodes), in id order.
// Returns one row: events (list of maps).
// Parameters: $after (string: the last id of the previous page, '' first); $limit (int).
// Used by: graph.export (fyp tune).
MATCH (e:Event)
WHERE e.id > $after
WITH e
ORDER BY e.id
LIMIT $limit
RETURN collect(properties(e)) AS events
