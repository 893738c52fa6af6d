// Lists the constraints and indexes that exist, to report what `fyp db init` did.
// Returns: name, type, entityType, labelsOrTypes, properties, state.
// Parameters: none. Used by: graph.schema.describe_schema.
SHOW INDEXES YIELD name, type, entityType, labelsOrTypes, properties, state
RETURN name, type, entityType, labelsOrTypes, properties, state
ORDER BY name
