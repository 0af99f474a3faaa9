"""Concordance (key word in context): every occurrence of a term with the text around it."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from .errors import UsageError

if TYPE_CHECKING:
    from .models import Document


@dataclass(frozen=True)
class Hit:
    """One occurrence: ``doc.text[start:end] == match``; ``left``/``right`` are up to ``width``
    characters of context on either side, exactly as in the text (newlines included)."""

    id: str
    start: int
    end: int
    left: str
    match: str
    right: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def normalize_query(term: str) -> str:
    """Normalise a search term the way document texts were normalised at ingest (NFKC, so
    ``三会一课（制度）`` finds ``三会一课(制度)``)."""
    try:
        from .normalize import normalize_text
    except ImportError:  # pragma: no cover - the ingest normaliser is the reference when present
        return unicodedata.normalize("NFKC", term).strip()
    return normalize_text(term).strip()


def kwic(documents: Iterable[Document], term: str, *, width: int = 20) -> list[Hit]:
    """Every occurrence of ``term`` in ``documents``, in document order then text order.

    Overlapping occurrences are all reported (``哈哈`` occurs twice in ``哈哈哈``).

    Args:
        documents: the documents to search.
        term: the literal text to find; NFKC-normalised first, like the texts.
        width: characters of context on each side.

    Raises:
        UsageError: if the term is empty after normalisation or ``width`` is negative.

    Example:
        >>> [h.id for h in kwic(store.documents(), "一岗双责")]
        ['000_645f09018402f143#1', ...]
    """
    return list(iter_kwic(documents, term, width=width))


def iter_kwic(documents: Iterable[Document], term: str, *, width: int = 20) -> Iterator[Hit]:
    """:func:`kwic` as a generator (stops early when the caller has enough hits)."""
    query = normalize_query(term)
    if not query:
        raise UsageError(f"nothing to search for in {term!r}; give a term such as 一岗双责")
    if width < 0:
        raise UsageError(f"--width must be 0 or more, not {width}")
    for doc in documents:
        text = doc.text
        start = text.find(query)
        while start != -1:
            end = start + len(query)
            yield Hit(doc.id, start, end, text[max(0, start - width) : start], query, text[end : end + width])
            start = text.find(query, start + 1)
