"""The CLI's progress bars: one column set for every long-running ``fyp`` command."""

from __future__ import annotations

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from graph.cli.app import console


def progress_bar(*, label_width: int = 0, bold: bool = False, eta: bool = False) -> Progress:
    """Bars printed on the CLI console: label, bar, ``done/total``, time elapsed.

    ``label_width`` pads the label so the bars of one command line up; ``bold`` shows
    it in bold; ``eta`` adds an estimate of the time remaining (for runs with a known,
    long total).
    """
    label = "{task.description" + (f":<{label_width}" if label_width else "") + "}"
    columns: list[ProgressColumn] = [
        TextColumn(f"[bold]{label}" if bold else label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    ]
    if eta:
        columns.append(TimeRemainingColumn())
    return Progress(*columns, console=console)
