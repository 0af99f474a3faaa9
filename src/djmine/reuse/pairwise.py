"""Compare documents two by two: every part of A against every part of B."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .align import find_shared_passages
from .records import DEFAULT_MIN_CHARS, DEFAULT_MIN_IDENTITY, CompareResult, PairReport

if TYPE_CHECKING:
    from ..models import Document
    from ..store import Store


def pair_report(a: Document, b: Document, **options: Any) -> PairReport:
    """Compare two documents: their shared passages and coverages."""
    passages = tuple(find_shared_passages(a.text, b.text, **options))
    shared_a = sum(p.a_chars for p in passages)
    shared_b = sum(p.b_chars for p in passages)
    return PairReport(
        a=a.id,
        b=b.id,
        shared_chars=shared_a,
        coverage_a=shared_a / len(a.text) if a.text else 0.0,
        coverage_b=shared_b / len(b.text) if b.text else 0.0,
        passages=passages,
    )


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
    **options: Any,
) -> CompareResult:
    """Compare two documents of ``store`` named by ID or prefix (a file ID means all its parts).

    Example:
        >>> result = compare(Store(), "000", "004")
        >>> [(p.a, round(p.coverage_b, 2)) for p in result.pairs]
    """
    docs_a, docs_b = store.resolve(a), store.resolve(b)
    opts = {"min_chars": min_chars, "min_identity": min_identity, **options}
    pairs = compare_documents(docs_a, docs_b, **opts)
    compared = sum(1 for x in docs_a for y in docs_b if x.id != y.id)
    return CompareResult(
        a=a,
        b=b,
        a_ids=tuple(d.id for d in docs_a),
        b_ids=tuple(d.id for d in docs_b),
        pairs=tuple(pairs),
        compared=compared,
        min_chars=min_chars,
        min_identity=min_identity,
    )
