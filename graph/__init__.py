"""fyp: a graph-based For You feed engine for short-video apps, on Neo4j.

The engine lives here (no HTTP); the GraphQL API lives in ``api``; every Cypher
statement lives in ``cypher/``.
"""

__version__ = "0.1.0"
