"""Options, output helpers and error handling shared by every command."""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from enum import Enum
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, Optional, TypeVar

import typer

from ..errors import DjmineError

F = TypeVar("F", bound=Callable[..., Any])


class State:
    """Global options given before the command (``djmine --store DIR …``)."""

    store_path: Path | None = None


def get_store():  # -> Store; import kept lazy so `djmine --help` stays fast
    from ..store import Store

    return Store(State.store_path)


JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for scripts instead of a table.")]
CsvOpt = Annotated[bool, typer.Option("--csv", help="Print CSV instead of a table.")]
LexiconOpt = Annotated[
    Optional[Path],  # noqa: UP045 - typer needs Optional on 3.10
    typer.Option(
        "--lexicon",
        help="Extra lexicon terms, one a line: TERM [CATEGORY [YEAR]] (tab or space separated), "
        "on top of the bundled lexicon.",
        exists=True,
        dir_okay=False,
        show_default=False,
    ),
]


class OutputFormat(str, Enum):
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"


def handle_errors(func: F) -> F:
    """Turn library errors into one line on stderr and exit code 2 (never a traceback)."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except DjmineError as exc:
            fail(str(exc), exc.exit_code)
        except KeyboardInterrupt:
            fail("interrupted; the store was left as it was", 130)
        except BrokenPipeError:
            # `djmine export | head`: the reader went away; that's not an error.
            sys.stderr.close()
            raise typer.Exit(0) from None
        except OSError as exc:  # a path the user gave that cannot be read or written
            where = f"{exc.filename}: " if exc.filename else ""
            fail(f"{where}{exc.strerror or exc}", 2)

    return wrapper  # type: ignore[return-value]


def fail(message: str, code: int = 2) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def print_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


def print_csv(rows: Iterable[dict[str, Any]], fields: Sequence[str]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(fields), extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _csv_cell(v) for k, v in row.items()})
    typer.echo(buffer.getvalue(), nl=False)


def _csv_cell(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return " ".join(str(v) for v in value)
    return value


def check_one_format(**flags: bool) -> None:
    chosen = [name for name, on in flags.items() if on]
    if len(chosen) > 1:
        raise typer.BadParameter(f"use only one of {', '.join('--' + c for c in chosen)}")


def console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


def show_progress() -> bool:
    """Progress bars only for people: on a TTY and not under CI."""
    return sys.stderr.isatty() and not os.environ.get("CI")


class progress_bar:
    """A rich progress bar on stderr, only on a TTY (``None`` otherwise).

    The bar object is itself the ``(stage, done, total)`` callback that ingest takes;
    ``bar.stage(name)`` gives the ``(done, total)`` callback of one-stage work (segmenting,
    aligning). Example: ``with progress_bar() as bar: run(progress=bar and bar.stage("align"))``.
    """

    def __enter__(self) -> progress_bar | None:
        self.bar = None
        if not show_progress():
            return None
        from rich.progress import Progress

        self.bar = Progress(console=console(stderr=True), transient=True)
        self.bar.start()
        self.tasks: dict[str, int] = {}
        return self

    def __call__(self, stage: str, done: int, total: int) -> None:
        if total < 20:  # not worth a bar
            return
        if stage not in self.tasks:
            self.tasks[stage] = self.bar.add_task(stage, total=total)
        self.bar.update(self.tasks[stage], completed=done)

    def stage(self, name: str) -> Callable[[int, int], None]:
        return lambda done, total: self(name, done, total)

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.stop()
