"""The ``themes`` command: what a corpus, a document or each group of documents is about."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from .common import (
    CsvOpt,
    JsonOpt,
    LexiconOpt,
    check_one_format,
    console,
    get_store,
    handle_errors,
    print_csv,
    print_json,
    progress_bar,
)

FIELDS = ["rank", "term", "kind", "docs", "score"]


class GroupBy(str, Enum):
    year = "year"
    source = "source"


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command("themes")(themes_command)


@handle_errors
def themes_command(
    top: Annotated[
        int,
        typer.Option("--top", "-n", min=1, help="How many terms to show (per group with --by)."),
    ] = 20,
    doc: Annotated[
        Optional[str],  # noqa: UP045 - typer needs Optional on 3.10
        typer.Option(
            "--doc", help="Rank one document's terms against the corpus (ID or unique prefix)."
        ),
    ] = None,
    by: Annotated[
        Optional[GroupBy],  # noqa: UP045
        typer.Option(
            "--by", help="Themes per group: year (latest year the text names) or source file."
        ),
    ] = None,
    lexicon: LexiconOpt = None,
    stopwords: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option(
            "--stopwords",
            help="Extra stopwords, one a line (added to the bundled list).",
            dir_okay=False,
        ),
    ] = None,
    only_my_stopwords: Annotated[
        bool,
        typer.Option(
            "--only-my-stopwords", help="Use the --stopwords file instead of the bundled list."
        ),
    ] = False,
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
) -> None:
    """Rank the corpus's themes: slogans, campaign names, phrases and words, by TF-IDF.

    Lexicon terms (kind "slogan") are kept whole and boosted; filler never ranks; a longer term
    absorbs the terms inside it.

    Example: djmine themes --top 20; djmine themes --doc 002 --json; djmine themes --by year
    """
    check_one_format(json=as_json, csv=as_csv)
    if only_my_stopwords and stopwords is None:
        raise typer.BadParameter("--only-my-stopwords needs --stopwords FILE")
    from ..lexicon import load_lexicon, load_stopwords
    from ..themes import themes

    with progress_bar() as bar:
        found = themes(
            get_store(),
            top=top,
            doc=doc,
            by=by.value if by else None,
            lexicon=load_lexicon(lexicon),
            stopwords=load_stopwords(stopwords, replace=only_my_stopwords),
            progress=bar and bar.stage("segmenting"),
        )
    fields = FIELDS + (["group"] if by else [])
    if as_json:
        print_json({"terms": [t.to_json() for t in found]})
    elif as_csv:
        print_csv(({f: getattr(t, f) for f in fields} for t in found), fields)
    else:
        _print_table(found, grouped=by is not None)


def _print_table(found, *, grouped: bool) -> None:
    from rich.table import Table

    out = console()
    if not found:
        out.print("no themes: the corpus has too few recurring terms")
        return
    table = Table(box=None, header_style="bold")
    if grouped:
        table.add_column("group")
    for name in FIELDS:
        table.add_column(name, justify="right" if name in ("rank", "docs", "score") else "left")
    previous = None
    for t in found:
        cells = [str(t.rank), t.term, t.kind, str(t.docs), f"{t.score:.4f}"]
        if grouped:
            cells.insert(0, t.group if t.group != previous else "")
            previous = t.group
        table.add_row(*cells)
    out.print(table)
