// The times of the first and the latest event: the recorded history of the graph.
// Returns: one row: first, latest (epoch ms; null when there are no events).
// Parameters: none.
// Used by: graph.brands.window (the default $asOf of growth windows and spike detection;
//   the start of the history in which ghost follows are judged).
CALL () {
  OPTIONAL MATCH (e:Event) WHERE e.at IS NOT NULL
  RETURN e.at AS first ORDER BY e.at LIMIT 1
}
CALL () {
  OPTIONAL MATCH (e:Event) WHERE e.at IS NOT NULL
  RETURN e.at AS latest ORDER BY e.at DESC LIMIT 1
}
RETURN first, latest
