"""The ``vnreport-ie`` command line: thin wrappers over the library API."""

from __future__ import annotations

from pathlib import Path
from typing import NoReturn

import typer

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Extract figures, indicators and targets from Vietnamese socio-economic reports.",
)


@app.callback()
def _commands() -> None:
    """Extract figures, indicators and targets from Vietnamese socio-economic reports."""


def fail(message: str, code: int = 1) -> NoReturn:
    """Print one clear error line and exit non-zero."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


@app.command()
def validate(paths: list[Path] = typer.Argument(..., help="Annotation .jsonl files or folders.")) -> None:
    """Check annotations against the annotation guide; lists every problem as file:line: message."""
    from vnreport_ie.corpus import validate_path

    total_examples = total_problems = 0
    for path in paths:
        if not path.exists():
            fail(f"{path}: no such file or folder")
        examples, problems = validate_path(path)
        for problem in problems:
            typer.echo(str(problem))
        total_examples += len(examples)
        total_problems += len(problems)
    typer.echo(f"{total_examples} examples, {total_problems} problems")
    if total_problems:
        raise typer.Exit(1)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
