"""Compare documents two by two: every part of A against every part of B."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .align import find_shared_passages
from .context import CorpusContext, build_context
from .formula import DEFAULT_FORMULA_THRESHOLD, DEFAULT_MIN_SOURCES
from .records import DEFAULT_MIN_CHARS, DEFAULT_MIN_IDENTITY, CompareResult, PairReport

if TYPE_CHECKING:
    from ..models import Document
    from ..store import Store


def pair_report(a: Document, b: Document, **options: Any) -> PairReport:
    """Compare two documents: their shared passages and coverages (no corpus: no formulae)."""
    passages = tuple(find_shared_passages(a.text, b.text, **options))
    shared_a = sum(p.a_chars for p in passages)
    shared_b = sum(p.b_chars for p in passages)
    coverage_a = shared_a / len(a.text) if a.text else 0.0
    coverage_b = shared_b / len(b.text) if b.text else 0.0
    return PairReport(
        a=a.id,
        b=b.id,
        shared_chars=shared_a,
        coverage_a=coverage_a,
        coverage_b=coverage_b,
        passages=passages,
        net_chars=min(shared_a, shared_b),
        coverage_a_raw=coverage_a,
        coverage_b_raw=coverage_b,
    )


def judged_report(
    a: Document, b: Document, i: int, j: int, context: CorpusContext, **options: Any
) -> PairReport:
    """``pair_report`` as the corpus judges it: aligned in corpus order (so that A × B and
    B × A give one answer), passages scored, formulae set apart."""
    if i > j:
        return judged_report(b, a, j, i, context, **options).flipped()
    return context.classify(pair_report(a, b, **options), i, j)


def is_reported(report: PairReport, min_chars: int) -> bool:
    """A pair is reported when its non-formula passages hold ``min_chars`` characters outside
    formula text (on both sides)."""
    return bool(report.passages) and report.net_chars >= min_chars


def compare_documents(docs_a: Sequence[Document], docs_b: Sequence[Document], **options: Any) -> list[PairReport]:
    """Compare every document of ``docs_a`` with every one of ``docs_b``.

    A document is never compared with itself. Returns the reports of pairs that share at least
    one passage, in input order; options go to :func:`find_shared_passages`.
    """
    reports = []
    for a in docs_a:
        for b in docs_b:
            if a.id == b.id:
                continue
            report = pair_report(a, b, **options)
            if report.passages:
                reports.append(report)
    return reports


def compare(
    store: Store,
    a: str,
    b: str,
    *,
    min_chars: int = DEFAULT_MIN_CHARS,
    min_identity: float = DEFAULT_MIN_IDENTITY,
    formula_threshold: float = DEFAULT_FORMULA_THRESHOLD,
    min_sources: int = DEFAULT_MIN_SOURCES,
    **options: Any,
) -> CompareResult:
    """Compare two documents of ``store`` named by ID or prefix (a file ID means all its parts).

    The rest of the store is the corpus that tells formulae from copying
    (:mod:`djmine.reuse.formula`): a part pair is reported when ``compare --all`` would report
    it, i.e. it passes the candidate test and shares ``min_chars`` characters outside formulae.

    Example:
        >>> result = compare(Store(), "000", "004")
        >>> [(p.a, round(p.coverage_b, 2)) for p in result.pairs]
    """
    docs_a, docs_b = store.resolve(a), store.resolve(b)
    corpus = store.documents()
    context = build_context(corpus, formula_threshold=formula_threshold, min_sources=min_sources)
    position = {doc_id: n for n, doc_id in enumerate(context.ids)}
    opts = {"min_chars": min_chars, "min_identity": min_identity, **options}
    reported, unreported = [], []
    for x in docs_a:
        for y in docs_b:
            if x.id == y.id:
                continue
            i, j = position[x.id], position[y.id]
            report = judged_report(x, y, i, j, context, **opts)
            if is_reported(report, min_chars) and context.is_candidate(i, j):
                reported.append(report)
            elif report.passages or report.formulae:
                unreported.append(report)
    compared = sum(1 for x in docs_a for y in docs_b if x.id != y.id)
    return CompareResult(
        a=a,
        b=b,
        a_ids=tuple(d.id for d in docs_a),
        b_ids=tuple(d.id for d in docs_b),
        pairs=tuple(reported),
        compared=compared,
        min_chars=min_chars,
        min_identity=min_identity,
        unreported=tuple(unreported),
    )
