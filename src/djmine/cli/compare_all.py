"""Terminal view of corpus-wide reuse (``djmine compare --all``): rich tables only, no logic."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table

if TYPE_CHECKING:
    from rich.console import Console

    from ..reuse.corpus import CorpusReuse

SNIPPET = 60  # characters of passage text shown in a table cell

def render_corpus(console: Console, result: CorpusReuse, top: int = 10, formulae: bool = False) -> None:
    """Print the top pairs, the families, the least original documents and the most reused
    passages (found in ≥ 3 documents), ``top`` rows each; with ``formulae``, the formula texts
    and the shared passages set apart as formulae."""
    if formulae:
        console.print(_formulae_table(result, top))
    if not result.pairs:
        console.print(f"No shared passages of ≥ {result.min_chars} characters outside formulae at identity ≥ "
                      f"{result.min_identity:g} among {len(result.documents)} documents.")
        return
    console.print(_pairs_table(result, top))
    console.print(_families_table(result, top))
    console.print(_documents_table(result, top))
    if result.popular_passages:
        console.print(_passages_table(result, top))
    else:
        console.print("No passage is found in 3 or more documents.")


def pair_rows(result: CorpusReuse) -> list[dict]:
    """Rows for ``--csv`` (fields: ``djmine.reuse.records.PAIR_FIELDS``)."""
    return [pair.summary() for pair in result.pairs]


def _pairs_table(result: CorpusReuse, top: int) -> Table:
    table = Table(title=f"Top pairs ({len(result.pairs)} sharing passages, {result.candidates} candidates aligned)")
    table.add_column("A", overflow="fold")  # IDs differ at the end (#3): fold, never ellipsize
    table.add_column("B", overflow="fold")
    for name in ("shared chars", "of A", "of B", "passages", "longest"):
        table.add_column(name, justify="right")
    for pair in result.pairs[:top]:
        row = pair.summary()
        table.add_row(pair.a, pair.b, str(row["shared_chars"]), _pct(pair.coverage_a), _pct(pair.coverage_b),
                      str(row["passages"]), str(row["longest"]))
    return table


def _families_table(result: CorpusReuse, top: int) -> Table:
    table = Table(title=f"Families ({len(result.families)}): documents sharing the same template passages")
    table.add_column("#", justify="right")
    table.add_column("members and the names each filled in", overflow="fold", ratio=1)
    table.add_column("passages", justify="right")
    table.add_column("template", ratio=1)
    for n, family in enumerate(result.families[:top], 1):
        lines = [f"{m}: {' / '.join(family.slots.get(m, ())[:4]) or '(as the template)'}" for m in family.members[:6]]
        if len(family.members) > 6:
            lines.append(f"… {len(family.members) - 6} more")
        table.add_row(str(n), "\n".join(lines), str(len(family.passages)), _snippet(family.template))
    return table


def _documents_table(result: CorpusReuse, top: int) -> Table:
    table = Table(title="Least original documents")
    table.add_column("document", overflow="fold")
    table.add_column("chars", justify="right")
    table.add_column("originality, raw", justify="right")
    table.add_column("net of formulae", justify="right")
    table.add_column("shares most with", overflow="fold")
    table.add_column("share", justify="right")
    table.add_column("longest passage", justify="right")
    for doc in result.least_original(top):
        if doc.shares_most_with is None:
            break
        table.add_row(doc.id, str(doc.chars), _pct(doc.originality_raw), _pct(doc.originality), doc.shares_most_with,
                      _pct(doc.largest_share), str(doc.longest_passage))
    return table


def _passages_table(result: CorpusReuse, top: int) -> Table:
    popular = result.popular_passages
    table = Table(title=f"Most reused passages ({len(popular)} found in ≥ 3 documents)")
    table.add_column("documents", justify="right")
    table.add_column("chars", justify="right")
    table.add_column("text", ratio=1)
    table.add_column("found in", overflow="fold")
    for passage in popular[:top]:
        ids = [o.id for o in passage.occurrences]
        shown = ", ".join(ids[:4]) + (" …" if len(ids) > 4 else "")
        table.add_row(str(passage.documents), str(passage.chars), _snippet(passage.text), shown)
    return table


def _formulae_table(result: CorpusReuse, top: int) -> Table:
    table = Table(title=f"Formulae: text recurring across unrelated documents ({len(result.formula_passages)} "
                  "shared passages set apart, counted in no figure)")
    table.add_column("documents", justify="right")
    table.add_column("formula text", ratio=1)
    for formula in result.formulae[:top]:
        table.add_row(str(formula.documents), _snippet(formula.text))
    return table


def _pct(value: float) -> str:
    return f"{100 * value:.0f}%"


def _snippet(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= SNIPPET else flat[: SNIPPET - 1] + "…"
