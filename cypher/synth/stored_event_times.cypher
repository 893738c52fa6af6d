// When the given events happened, for those the database holds: `fyp generate` looks up
// a generated world's first events to tell a replay (same times) from the same world
// placed at another end (every time moved), which it refuses to mix in.
// Parameters: $ids (list of event ids). Returns: id, at (epoch ms); one row per stored event.
// Used by: graph.cli.generate.
UNWIND $ids AS id
MATCH (e:Event {id: id})
RETURN e.id AS id, e.at AS at
