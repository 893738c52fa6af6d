// Every Event node with all its properties: with ingest/state_nodes and
// ingest/state_relationships, a fingerprint of what an import wrote.
// Returns: properties (map), one row per event. Parameters: none.
// Used by: tests/integration/test_ingest_offline.py (the online and offline paths agree).
MATCH (e:Event)
RETURN properties(e) AS properties
