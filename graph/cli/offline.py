"""``--offline`` for the commands that load data: one way to run it and to say so."""

from __future__ import annotations

from pathlib import Path

from graph.cli.app import console
from graph.config import Settings
from graph.db import local_server
from graph.errors import ClientError
from graph.ingest import ImportReport
from graph.ingest.offline_load import Load, admin_command, build_files, load_offline

REMOTE = (
    "an offline import writes Neo4j's store files, so it needs the project's local server, "
    "and FYP_NEO4J_URI points at {uri}. Import online (without --offline), or write the "
    "files with `fyp import DIR --offline --files-only OUT`, copy OUT to the database host "
    "and run the neo4j-admin command it prints there (with that database stopped)."
)


def load_offline_locally(settings: Settings, load: Load, *, replace: bool) -> ImportReport:
    """Load the local server's database offline; :class:`ClientError` for a remote one."""
    if settings.neo4j_uri is not None:
        raise ClientError(REMOTE.format(uri=settings.neo4j_uri))
    outcome = load_offline(
        local_server(settings),
        load,
        replace=replace,
        database=settings.neo4j_database,
        timeout_s=settings.neo4j_query_timeout_s,
        phases=lambda phase: console.print(f"[dim]{phase}...[/]"),
    )
    phases = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in outcome.seconds.items())
    console.print(f"offline import: {outcome.events:,} events ({phases})", highlight=False)
    return outcome.report


def write_files_only(load: Load, out: Path) -> ImportReport:
    """Validate and write the importer files into ``out``; print the command to run."""
    if out.exists() and any(out.iterdir()):
        raise ClientError(f"{out} is not empty: give a new or empty folder for the files")
    report, target, files = build_files(load, out)
    console.print(
        f"wrote the importer files of {target.events:,} events to {out}. On the database "
        "host, with the database stopped, from that folder:\n"
        + admin_command(files).replace(f"{out}/", "")
        + "\nthen start it and run `fyp db init` against it (constraints and indexes).",
        highlight=False,
        soft_wrap=True,
    )
    return report
