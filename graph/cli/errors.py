"""Turn the engine's typed errors into one clear line and an exit code, no stack trace."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

import typer

from graph.cli.app import err_console
from graph.errors import ClientError, FypError

P = ParamSpec("P")
R = TypeVar("R")


def friendly_errors(command: Callable[P, R]) -> Callable[P, R]:
    @wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except FypError as error:
            err_console.print(f"[bold red]error[/] ({error.code}): {error}", highlight=False)
            raise typer.Exit(2 if isinstance(error, ClientError) else 1) from None

    return wrapper
