// One page of users as `users` import records, in id order (creators come with them:
// the isCreator flag says which go to the `creators` file).
// Returns one row: users (list of maps: id, name, createdAt, isCreator).
// Parameters: $after (string: the last id of the previous page, '' first); $limit (int).
// Used by: graph.export (fyp tune).
MATCH (u:User)
WHERE u.id > $after
WITH u
ORDER BY u.id
LIMIT $limit
RETURN collect({id: u.id, name: u.name, createdAt: u.createdAt, isCreator: u:Creator}) AS users
