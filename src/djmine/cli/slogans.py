"""Commands about slogans, dating and concordance: slogans, date, kwic."""

from __future__ import annotations

from enum import Enum
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
)

IdsArg = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Argument(help="Document IDs or prefixes (default: every document).", show_default=False),
]

SLOGAN_FIELDS = ["term", "kind", "count", "n_docs", "first_year", "last_year", "known", "docs"]
DATE_FIELDS = ["id", "year", "evidence"]


class Kind(str, Enum):
    numbered = "numbered"
    quoted = "quoted"
    phrase = "phrase"


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command("slogans")(slogans_command)
    app.command("date")(date_command)
    app.command("kwic")(kwic_command)


# ----- slogans -----------------------------------------------------------------------------
@handle_errors
def slogans_command(
    min_docs: Annotated[int, typer.Option("--min-docs", min=1, help="Keep slogans found in at least N documents.")] = 2,
    min_count: Annotated[int, typer.Option("--min-count", min=1, help="... and at least N times in all.")] = 2,
    new: Annotated[bool, typer.Option("--new", help="Only slogans the lexicon does not know.")] = False,
    kind: Annotated[
        Optional[list[Kind]],  # noqa: UP045
        typer.Option("--kind", help="Only this kind (repeatable): numbered, quoted, phrase.", show_default=False),
    ] = None,
    top: Annotated[int, typer.Option("--top", min=0, help="Show at most N slogans (0: all).")] = 50,
    lexicon_file: LexiconOpt = None,
    json_out: JsonOpt = False,
    csv_out: CsvOpt = False,
) -> None:
    """List the formulas the corpus repeats, found from the texts themselves: numbered formulas
    (两学一做, 三亮三比三评), recurring quoted campaign names and recurring phrases, with counts,
    documents, first/last year seen (from `djmine date`) and whether the lexicon knew them.

    Example: djmine slogans --new --min-docs 3 --top 20
    """
    from ..lexicon import load_lexicon
    from ..slogans import KINDS, corpus_slogans

    check_one_format(json=json_out, csv=csv_out)
    kinds = tuple(k.value for k in kind) if kind else KINDS
    found = corpus_slogans(get_store(), load_lexicon(lexicon_file), min_docs=min_docs, min_count=min_count,
                           kinds=kinds)
    if new:
        found = [s for s in found if not s.known]
    shown = found[:top] if top else found
    rows = [s.to_json() for s in shown]
    if json_out:
        print_json({"total": len(found), "slogans": rows})
    elif csv_out:
        print_csv(rows, SLOGAN_FIELDS)
    else:
        _render_slogans(rows, len(found))


def _render_slogans(rows: list[dict], total: int) -> None:
    from rich.table import Table

    if not rows:
        console().print("no recurring slogans found")
        return
    title = f"{len(rows)} slogans" + (f" of {total}" if total > len(rows) else "")
    table = Table(title=title)
    for name in ("slogan", "kind", "count", "docs", "years", "lexicon"):
        table.add_column(name, justify="right" if name in ("count", "docs") else "left", overflow="fold")
    for r in rows:
        years = _year_range(r["first_year"], r["last_year"])
        table.add_row(r["term"], r["kind"], str(r["count"]), str(r["n_docs"]), years,
                      "known" if r["known"] else "new")
    console().print(table)


def _year_range(first: int | None, last: int | None) -> str:
    if first is None:
        return "?"
    return str(first) if first == last else f"{first}–{last}"


# ----- date --------------------------------------------------------------------------------
@handle_errors
def date_command(
    ids: IdsArg = None,
    lexicon_file: LexiconOpt = None,
    json_out: JsonOpt = False,
    csv_out: CsvOpt = False,
) -> None:
    """Date documents: the earliest year each can have been written, from the years it states,
    the party congresses, plenums and five-year plans it names (十九大, 十六届三中全会, 十二五)
    and the lexicon's first-appearance years (两学一做 → 2016), with the evidence, newest first.

    Example: djmine date 000 004 --json
    """
    from ..dating import date_documents
    from ..lexicon import load_lexicon

    check_one_format(json=json_out, csv=csv_out)
    store = get_store()
    documents = store.resolve_many(ids) if ids else store.documents()
    estimates = date_documents(documents, load_lexicon(lexicon_file))
    if json_out:
        print_json({"documents": [e.to_json() for e in estimates]})
    elif csv_out:
        print_csv(({"id": e.id, "year": e.year, "evidence": _evidence_text(e.evidence, sep="; ")}
                   for e in estimates), DATE_FIELDS)
    else:
        _render_dates(estimates)


def _evidence_text(evidence, *, sep: str, limit: int | None = None) -> str:
    shown = evidence[:limit] if limit else evidence
    text = sep.join(f"{e.year} ({e.kind})" if e.term == str(e.year) else f"{e.term} {e.year} ({e.kind})"
                    for e in shown)
    return text + (f"{sep}… {len(evidence) - limit} more" if limit and len(evidence) > limit else "")


def _render_dates(estimates) -> None:
    from rich.table import Table

    table = Table(title=f"{len(estimates)} documents")
    table.add_column("id", overflow="fold")
    table.add_column("not before", justify="right")
    table.add_column("evidence (newest first)", overflow="fold")
    for e in estimates:
        table.add_row(e.id, str(e.year) if e.year else "?", _evidence_text(e.evidence, sep="\n", limit=5) or "—")
    console().print(table)


# ----- kwic --------------------------------------------------------------------------------
@handle_errors
def kwic_command(
    term: Annotated[str, typer.Argument(help="The text to find (matched literally, after NFKC).", show_default=False)],
    ids: IdsArg = None,
    width: Annotated[int, typer.Option("--width", "-w", min=0, help="Characters of context on each side.")] = 20,
    limit: Annotated[int, typer.Option("--limit", "-n", min=0, help="Show at most N hits (0: all).")] = 0,
    json_out: JsonOpt = False,
) -> None:
    """Concordance: every occurrence of TERM in context, aligned, with document ID and offset
    (``text[start:end]`` of the clean text, as `djmine show` prints it).

    Example: djmine kwic 一岗双责 --width 15
    """
    from ..kwic import kwic

    store = get_store()
    documents = store.resolve_many(ids) if ids else store.documents()
    hits = kwic(documents, term, width=width)
    shown = hits[:limit] if limit else hits
    if json_out:
        print_json({"term": term, "total": len(hits), "hits": [h.to_json() for h in shown]})
        return
    if not hits:
        typer.echo(f"no occurrences of {term!r} in {len(documents)} documents", err=True)
        return
    _render_kwic(shown)
    if len(shown) < len(hits):
        typer.echo(f"… {len(hits) - len(shown)} more; use --limit 0 to see all", err=True)


def _render_kwic(hits) -> None:
    from rich.cells import cell_len

    id_width = max(len(h.id) for h in hits)
    pos_width = max(len(str(h.start)) for h in hits)
    left_cells = max(cell_len(_flat(h.left)) for h in hits)
    for h in hits:
        left = _flat(h.left)
        pad = " " * (left_cells - cell_len(left))
        typer.echo(f"{h.id:<{id_width}}  {h.start:>{pos_width}}  {pad}{left} 【{h.match}】 {_flat(h.right)}")


def _flat(context: str) -> str:
    # one hit per line: line breaks in the context shown as spaces (offsets are unaffected)
    return context.replace("\r", " ").replace("\n", " ").replace("\t", " ")
