"""Public datasets turned into import-format records (docs/model.md).

Each module converts one dataset's own files into the records that
:func:`graph.ingest.import_records` loads, so a real dataset goes through exactly
the validation and Cypher that every other import uses.
"""
