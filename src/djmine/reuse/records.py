"""Records of reuse between two documents: passages, pair reports, a comparison's result."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

DEFAULT_MIN_CHARS = 50
# 0.8 keeps 000#5 vs 004 (edited paragraphs, a unit renamed throughout) while a chain of stock
# phrases separated by different text scores far below it (see tests/test_reuse.py).
DEFAULT_MIN_IDENTITY = 0.8


@dataclass(frozen=True)
class SharedPassage:
    """A passage of text A reused in text B. Offsets index the clean texts (``Document.text``)."""

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    identity: float
    a_text: str
    b_text: str

    @property
    def a_chars(self) -> int:
        return self.a_end - self.a_start

    @property
    def b_chars(self) -> int:
        return self.b_end - self.b_start

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class PairReport:
    """Reuse between two documents.

    ``shared_chars`` counts the characters of A inside shared passages (whitespace included, as
    in ``Document.text``); ``coverage_a``/``coverage_b`` are the fractions of each text inside
    passages, so ``coverage_a == shared_chars / len(text_a)``.
    """

    a: str
    b: str
    shared_chars: int
    coverage_a: float
    coverage_b: float
    passages: tuple[SharedPassage, ...]

    @property
    def longest(self) -> int:
        """Characters of A in the longest passage (0 if none)."""
        return max((p.a_chars for p in self.passages), default=0)

    def _figures(self) -> dict[str, Any]:
        return {
            "a": self.a,
            "b": self.b,
            "shared_chars": self.shared_chars,
            "coverage_a": round(self.coverage_a, 4),
            "coverage_b": round(self.coverage_b, 4),
        }

    def to_json(self) -> dict[str, Any]:
        return {**self._figures(), "passages": [p.to_json() for p in self.passages]}

    def summary(self) -> dict[str, Any]:
        """One flat row for tables and CSV."""
        return {
            **self._figures(),
            "passages": len(self.passages),
            "longest": self.longest,
        }


@dataclass(frozen=True)
class CompareResult:
    """The outcome of ``compare(store, a, b)``: the part pairs that share passages.

    ``pairs`` holds only pairs with at least one passage (in A-part, B-part order); ``compared``
    says how many part pairs were examined, so "nothing shared" is distinguishable from
    "nothing compared".
    """

    a: str
    b: str
    a_ids: tuple[str, ...]
    b_ids: tuple[str, ...]
    pairs: tuple[PairReport, ...]
    compared: int
    min_chars: int = DEFAULT_MIN_CHARS
    min_identity: float = DEFAULT_MIN_IDENTITY

    @property
    def passages(self) -> list[tuple[PairReport, SharedPassage]]:
        return [(pair, p) for pair in self.pairs for p in pair.passages]

    def to_json(self) -> dict[str, Any]:
        return {
            "a": self.a,
            "b": self.b,
            "a_ids": list(self.a_ids),
            "b_ids": list(self.b_ids),
            "compared": self.compared,
            "min_chars": self.min_chars,
            "min_identity": self.min_identity,
            "pairs": [pair.to_json() for pair in self.pairs],
        }

    def pairs_frame(self) -> pd.DataFrame:
        """One row per part pair: a, b, shared_chars, coverage_a, coverage_b, passages, longest."""
        import pandas as pd

        columns = ["a", "b", "shared_chars", "coverage_a", "coverage_b", "passages", "longest"]
        return pd.DataFrame([pair.summary() for pair in self.pairs], columns=columns)

    def passages_frame(self) -> pd.DataFrame:
        """One row per passage, with the pair's document IDs."""
        import pandas as pd

        rows = [{"a": pair.a, "b": pair.b, **p.to_json()} for pair, p in self.passages]
        columns = ["a", "b", "a_start", "a_end", "b_start", "b_end", "identity", "a_text", "b_text"]
        return pd.DataFrame(rows, columns=columns)
