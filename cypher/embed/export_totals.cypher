// Embedding export: how many users and videos there are, to size the progress bars.
// Returns: one row with users (int), videos (int).
// Parameters: none.
// Used by: graph.embed.export (fyp embed).
CALL () { MATCH (u:User) RETURN count(u) AS users }
CALL () { MATCH (v:Video) RETURN count(v) AS videos }
RETURN users, videos
