"""Reuse detection: `djmine compare A B` (pairwise) and `djmine compare --all` (whole corpus)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from .common import (
    CsvOpt,
    JsonOpt,
    check_one_format,
    console,
    get_store,
    handle_errors,
    print_csv,
    print_json,
    progress_bar,
)

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from ..reuse import CompareResult, PairReport, SharedPassage


# How each diff op is drawn on the A side and on the B side of a passage.
DIFF_STYLES = {
    "equal": ("", ""),
    "similar": ("yellow", "yellow"),  # same under the comparison key: digits, punctuation, xx
    "replace": ("red strike", "green"),
    "delete": ("red strike", ""),
    "insert": ("", "green"),
}


def register(app: typer.Typer) -> None:
    app.command("compare")(compare_command)


@handle_errors
def compare_command(
    a: Annotated[Optional[str], typer.Argument(help="Document ID or unique prefix; a file ID means all its parts.", show_default=False)] = None,  # noqa: UP045
    b: Annotated[Optional[str], typer.Argument(help="The document to compare A with (ID or prefix).", show_default=False)] = None,  # noqa: UP045
    min_chars: Annotated[int, typer.Option("--min-chars", min=1, help="Shortest passage reported, in characters; shorter stock phrases are not reuse.")] = 50,
    min_identity: Annotated[float, typer.Option("--min-identity", min=0.0, max=1.0, help="Lowest identity (matched / aligned characters) of a passage.")] = 0.8,
    json_out: JsonOpt = False,
    csv_out: CsvOpt = False,
    html: Annotated[Optional[Path], typer.Option("--html", metavar="FILE", help="Also write a self-contained HTML page showing both documents side by side.")] = None,  # noqa: UP045
    all_docs: Annotated[bool, typer.Option("--all", help="Find reuse across the whole corpus instead of between A and B.")] = False,
    top: Annotated[int, typer.Option("--top", min=1, help="With --all: show the N pairs with the most shared text.")] = 20,
    formula_threshold: Annotated[float, typer.Option("--formula-threshold", min=0.01, max=1.0, help="Formula score (share of a passage that is text recurring across unrelated documents, or a mandated formula) at or above which a passage is a formula: listed apart, counted in no figure.")] = 0.8,
    formulae: Annotated[bool, typer.Option("--formulae", help="Also show the passages set apart as formulae.")] = False,
) -> None:
    """Find the passages two documents share, aligned, with the edits shown.

    Tolerates renamed units, changed numbers, punctuation width, inserted, deleted or replaced
    words; placeholders (xx, ××, 某某) match any name. Offsets index the clean text that
    `djmine show` and `djmine export` print. Exit 0 even when nothing is shared.

    Example: djmine compare 000 004 --html reuse.html
    """
    check_one_format(json=json_out, csv=csv_out)
    if all_docs:
        if a is not None or b is not None or html is not None:
            raise typer.BadParameter("--all compares the whole corpus: give no A B and no --html")
        _compare_all(min_chars, min_identity, formula_threshold, json_out, csv_out, top, formulae)
        return
    if a is None or b is None:
        raise typer.BadParameter("give two documents, e.g. `djmine compare 000 004`, or --all")
    from ..reuse import compare
    from ..reuse.records import PAIR_FIELDS

    store = get_store()
    result = compare(store, a, b, min_chars=min_chars, min_identity=min_identity,
                     formula_threshold=formula_threshold)
    if html is not None:
        _write_html(html, result, store.resolve_many([a, b]))
    if json_out:
        print_json(result.to_json())
    elif csv_out:
        print_csv((pair.summary() for pair in result.pairs), PAIR_FIELDS)
    else:
        render_compare(console(), result, formulae)


def _compare_all(min_chars: int, min_identity: float, formula_threshold: float, json_out: bool, csv_out: bool,
                 top: int, formulae: bool) -> None:
    import sys

    from ..reuse.corpus import corpus_reuse
    from ..reuse.records import PAIR_FIELDS
    from .compare_all import render_corpus

    documents = get_store().documents()
    with progress_bar() as bar:
        result = corpus_reuse(documents, min_chars=min_chars, min_identity=min_identity,
                              formula_threshold=formula_threshold, progress=bar and bar.stage("aligning"))
    if json_out:
        for piece in result.iter_json():  # streamed: a large corpus's JSON is never one string
            sys.stdout.write(piece)
        sys.stdout.flush()
    elif csv_out:
        print_csv((pair.summary() for pair in result.pairs), PAIR_FIELDS)
    else:
        render_corpus(console(), result, top=top, formulae=formulae)
    typer.echo(result.summary(), err=True)


def _write_html(path: Path, result: CompareResult, documents) -> None:
    from ..errors import UsageError
    from ..report import render_html

    try:
        path.write_text(render_html(result, documents), encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror}; choose another --html FILE") from exc
    n = len(result.passages)
    typer.echo(f"wrote {path} ({n} passage{'s' * (n != 1)})", err=True)


# ----- terminal view ----------------------------------------------------------------------------
def render_compare(out: Console, result: CompareResult, formulae: bool = False) -> None:
    """Summary table of the part pairs, then each passage side by side with its edits; with
    ``formulae``, the passages set apart as formulae too."""
    if formulae:
        for pair in (*result.pairs, *result.unreported):
            for passage in pair.formulae:
                out.print(_passage_table(0, pair, passage))
    if not result.pairs:
        out.print(
            f"no shared passages ≥ {result.min_chars} chars between {result.a} and {result.b} "
            f"({result.compared} part pair{'s' * (result.compared != 1)} compared)"
        )
        return
    out.print(_summary_table(result))
    number = 0
    for pair in result.pairs:
        for passage in pair.passages:
            number += 1
            out.print(_passage_table(number, pair, passage))


def _summary_table(result: CompareResult):
    from rich.table import Table

    table = Table(
        title=f"{result.a} × {result.b}: {len(result.pairs)} of {result.compared} part pairs share text "
        f"(passages ≥ {result.min_chars} chars, identity ≥ {result.min_identity:g})"
    )
    for name in ("a", "b", "shared chars", "coverage a", "coverage b", "passages", "longest"):
        table.add_column(name, justify="left" if name in ("a", "b") else "right", overflow="fold")
    for pair in result.pairs:
        row = pair.summary()
        table.add_row(row["a"], row["b"], str(row["shared_chars"]), f"{pair.coverage_a:.1%}",
                      f"{pair.coverage_b:.1%}", str(row["passages"]), str(row["longest"]))
    return table


def _passage_table(number: int, pair: PairReport, passage: SharedPassage):
    from rich.table import Table

    label = f"passage {number}" if number else "formula"
    table = Table(
        title=f"{label} · identity {passage.identity:.2%} · formula score {passage.formula_score:.0%}",
        title_justify="left",
        expand=True,
        show_lines=False,
    )
    table.add_column(f"{pair.a} [{passage.a_start}:{passage.a_end}]", ratio=1, overflow="fold")
    table.add_column(f"{pair.b} [{passage.b_start}:{passage.b_end}]", ratio=1, overflow="fold")
    table.add_row(*diff_texts(passage))
    return table


def diff_texts(passage: SharedPassage) -> tuple[Text, Text]:
    """Both sides of a passage as rich Text, differences styled (see DIFF_STYLES)."""
    from rich.text import Text

    from ..reuse import passage_diff

    text_a, text_b = Text(), Text()
    for op, piece_a, piece_b in passage_diff(passage):
        style_a, style_b = DIFF_STYLES[op]
        text_a.append(piece_a, style=style_a or None)
        text_b.append(piece_b, style=style_b or None)
    return text_a, text_b
