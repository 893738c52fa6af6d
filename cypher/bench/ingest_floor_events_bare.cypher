// Ingestion floor, bare rung: one Event node per event with nothing but its (unique) id.
// A lower bound: no design that keeps one Event node per event writes less per event.
// Parameters: $events (list of maps with at least {id}; ids new and unique).
// Returns: created (int), how many Event nodes were created.
// Used by: bench/ingest_floor.py (rung "bare").
UNWIND $events AS e
CREATE (n:Event {id: e.id})
RETURN count(n) AS created
