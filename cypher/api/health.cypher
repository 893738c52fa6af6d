// Liveness of the database for /health: a trivial read that needs a working server.
// Returns: ok (1). Parameters: none. Used by: api/app.py (/health).
RETURN 1 AS ok
