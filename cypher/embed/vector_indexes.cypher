// The vector indexes that exist, with their dimension and state.
// Returns: name, state, labels, properties, dimensions (int or null).
// Parameters: none.
// Used by: graph.embed.store (to refresh indexes whose dimension changed), tests.
SHOW VECTOR INDEXES YIELD name, state, labelsOrTypes, properties, options
RETURN name, state, labelsOrTypes AS labels, properties,
       options.indexConfig.`vector.dimensions` AS dimensions
ORDER BY name
