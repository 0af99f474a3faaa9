"""Corpus commands: ingest, list, show, export."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from .common import (
    CsvOpt,
    JsonOpt,
    OutputFormat,
    check_one_format,
    console,
    get_store,
    handle_errors,
    print_csv,
    print_json,
    progress_bar,
)

LIST_FIELDS = ["id", "title", "chars", "removed_chars", "years", "placeholders", "earliest_year", "encoding", "source"]


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest_command)
    app.command("list")(list_command)
    app.command("show")(show_command)
    app.command("export")(export_command)


@handle_errors
def ingest_command(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (read recursively).", show_default=False)],
    json_out: JsonOpt = False,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Start a new store, dropping what is there.")] = False,
    max_file_mb: Annotated[float, typer.Option("--max-file-mb", help="Skip files larger than this.")] = 32,
    workers: Annotated[Optional[int], typer.Option(  # noqa: UP045
        "--workers", min=1, help="Processes that read and clean files (default: one per core from 64 MB of files, else 1).")] = None,
    tokens: Annotated[bool, typer.Option("--tokens/--no-tokens",
                                         help="Segment the documents now, so themes and slogans answer at once.")] = True,
) -> None:
    """Read scraped documents: decode, clean web-page chrome, split compilations, store.

    Formats: .txt, .md, .html/.htm in UTF-8, GB18030/GBK, Big5 or UTF-16. Exit code 0 when all
    files were read, 1 when some were skipped for errors, 2 when nothing could be read.

    Example: djmine ingest data/seeds
    """
    from ..pipeline import ingest

    with progress_bar() as bar:
        report = ingest(paths, get_store(), rebuild=rebuild, max_file_bytes=int(max_file_mb * 2**20),
                        workers=workers, tokens=tokens, progress=bar)
    if json_out:
        print_json(report.to_json())
    else:
        _render_ingest(report)
    raise typer.Exit(report.exit_code)


def _render_ingest(report) -> None:
    for skipped in report.skipped:  # plain echo: one unwrapped line per file, easy to grep
        typer.echo(f"skipped {skipped.path}: {skipped.reason}", err=True)
    if not report.documents:
        typer.echo("nothing ingested: no file could be read; the store was left as it was", err=True)
        return
    summary = (f"{_count(len(report.documents), 'document')} from {_count(report.files_read, 'file')}: "
               f"{len(report.added)} added, {len(report.updated)} updated, {len(report.unchanged)} unchanged")
    if report.deleted:
        summary += f", {len(report.deleted)} removed"
    if report.errors:
        summary += f"; {_count(len(report.errors), 'path')} skipped for errors"
    typer.echo(summary)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


@handle_errors
def list_command(json_out: JsonOpt = False, csv_out: CsvOpt = False) -> None:
    """List the documents in the store: id, title, size, removed chrome, years, placeholders.

    Example: djmine list --csv > documents.csv
    """
    from ..corpus import document_rows

    check_one_format(json=json_out, csv=csv_out)
    rows = document_rows(get_store())
    if json_out:
        print_json({"documents": rows})
    elif csv_out:
        print_csv(rows, LIST_FIELDS)
    else:
        _render_list(rows)


def _render_list(rows: list[dict]) -> None:
    from rich import box
    from rich.table import Table

    out = console()
    cells = [[r["id"], r["title"], str(r["chars"]), str(r["removed_chars"]), _years(r["years"]),
              str(r["placeholders"]), str(r["earliest_year"] or "?")] for r in rows]
    headers = ["id", "title", "chars", "removed", "years", "xx", "since"]
    widths = [max([len(h)] + [out.measure(c[i]).maximum for c in cells]) for i, h in enumerate(headers)]
    # Every column but the title is shown whole; the title takes what is left of the terminal.
    title_width = max(6, out.width - sum(widths) + widths[1] - 3 * len(headers))
    table = Table(title=f"{len(rows)} documents", box=box.SIMPLE_HEAD, pad_edge=False,
                  caption="xx: template placeholders · since: earliest plausible year")
    for i, name in enumerate(headers):
        if name == "title":
            table.add_column(name, overflow="ellipsis", no_wrap=True, max_width=title_width)
        else:
            table.add_column(name, no_wrap=True, min_width=widths[i],
                             justify="left" if name in ("id", "years") else "right")
    for row in cells:
        table.add_row(*row)
    out.print(table)


def _years(years: list[int]) -> str:
    return ",".join(map(str, years[-2:])) + ("…" if len(years) > 2 else "")


@handle_errors
def show_command(
    doc_id: Annotated[str, typer.Argument(metavar="ID", help="Document ID or unique prefix (000, 000#3).")],
    raw: Annotated[bool, typer.Option("--raw", help="Show the text as read, before cleaning.")] = False,
    removed: Annotated[bool, typer.Option("--removed", help="Show each removed span with its rule.")] = False,
) -> None:
    """Show a document's clean text (offsets in compare/kwic refer to this text).

    A file ID shows all of its parts. Example: djmine show 000#3 --removed
    """
    check_one_format(raw=raw, removed=removed)
    docs = get_store().resolve(doc_id)
    out = console()
    for doc in docs:
        if len(docs) > 1 or removed:
            out.rule(f"{doc.id} · {doc.title}", style="dim")
        if removed:
            _render_removed(doc)
        else:
            typer.echo(doc.raw if raw else doc.text)


def _render_removed(doc) -> None:
    from rich.table import Table

    table = Table(show_lines=False)
    table.add_column("line", justify="right")
    table.add_column("rule")
    table.add_column("removed text", overflow="fold")
    for span in doc.removed:
        table.add_row(str(span.line + 1), span.rule, span.text)
    console().print(table if doc.removed else "nothing removed")


@handle_errors
def export_command(
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")] = OutputFormat.jsonl,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="File to write (default stdout; required for parquet).")] = None,  # noqa: UP045
) -> None:
    """Export every document with all its fields (id, source, part, title, text, raw, chars, …).

    Example: djmine export --format csv -o corpus.csv
    """
    from ..corpus import export

    export(get_store(), fmt.value, output)
