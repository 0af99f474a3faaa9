"""The `djmine` command line: a thin Typer layer over the library.

Each command module exposes ``register(app)``; commands parse options, call one library function
and render its result.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from .. import __version__
from . import compare, corpus, slogans, themes
from .common import State

app = typer.Typer(
    name="djmine",
    help=(
        "Text mining for Chinese 党建 work summaries: ingest scraped pages, see the themes and "
        "slogans a corpus repeats, and find reused template text.\n\n"
        "Example: djmine ingest data/seeds && djmine list && djmine compare 000 004"
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"djmine {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    store: Annotated[
        Optional[Path],  # noqa: UP045 - typer needs Optional on 3.10
        typer.Option(
            "--store",
            envvar="DJMINE_STORE",
            help="Store directory (default ./.djmine, or $DJMINE_STORE). Example: djmine --store /tmp/c list",
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Global options."""
    State.store_path = store


for module in (corpus, themes, slogans, compare):
    module.register(app)


def main() -> None:
    app()
