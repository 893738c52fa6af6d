// Every User, Video, Hashtag and Sound with all its properties (counters included):
// a fingerprint of the graph to compare before and after a re-import (callers leave out
// changedAt, the database's clock at a node's last change).
// Returns: labels (list), key (id or hashtag name), properties (map).
// Parameters: none. Used by: tests/integration/test_ingest_*.py (idempotency checks).
MATCH (n)
WHERE n:User OR n:Video OR n:Hashtag OR n:Sound
RETURN labels(n) AS labels, coalesce(n.id, n.name) AS key, properties(n) AS properties
