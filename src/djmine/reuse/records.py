"""Records of reuse between two documents: passages, pair reports, a comparison's result."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

DEFAULT_MIN_CHARS = 50
# 0.8 keeps 000#5 vs 004 (edited paragraphs, a unit renamed throughout) while a chain of stock
# phrases separated by different text scores far below it (see tests/test_reuse.py).
DEFAULT_MIN_IDENTITY = 0.8
# The columns of a pair in tables and CSV (``PairReport.summary``): one list for every command.
PAIR_FIELDS = ["a", "b", "shared_chars", "coverage_a", "coverage_b", "net_chars", "coverage_a_raw",
               "coverage_b_raw", "passages", "longest"]


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
    # share of the passage that is the genre's formulae (djmine.reuse.formula); 0 without a corpus
    formula_score: float = 0.0

    @property
    def a_chars(self) -> int:
        return self.a_end - self.a_start

    @property
    def b_chars(self) -> int:
        return self.b_end - self.b_start

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def flipped(self) -> SharedPassage:
        """The same passage seen from B."""
        return replace(self, a_start=self.b_start, a_end=self.b_end, b_start=self.a_start, b_end=self.a_end,
                       a_text=self.b_text, b_text=self.a_text)


@dataclass(frozen=True)
class PairReport:
    """Reuse between two documents.

    ``passages`` are the shared passages that are not formulae, ``formulae`` those whose
    formula score reaches the threshold (:mod:`djmine.reuse.formula`). ``shared_chars`` counts
    the characters of A inside ``passages`` (whitespace included, as in ``Document.text``);
    ``coverage_a``/``coverage_b`` are the fractions of each text inside them, so
    ``coverage_a == shared_chars / len(text_a)``. The ``*_raw`` figures count formulae too.
    ``net_chars``: characters of A in ``passages`` outside formula text; a corpus reports the
    pair when it reaches ``min_chars``.
    """

    a: str
    b: str
    shared_chars: int
    coverage_a: float
    coverage_b: float
    passages: tuple[SharedPassage, ...]
    formulae: tuple[SharedPassage, ...] = ()
    net_chars: int = 0
    coverage_a_raw: float = 0.0
    coverage_b_raw: float = 0.0

    def flipped(self) -> PairReport:
        """The same report with A and B swapped (figures of A become those of B)."""
        return PairReport(
            a=self.b, b=self.a, shared_chars=sum(p.b_chars for p in self.passages),
            coverage_a=self.coverage_b, coverage_b=self.coverage_a,
            passages=tuple(sorted((p.flipped() for p in self.passages), key=lambda p: p.a_start)),
            formulae=tuple(sorted((p.flipped() for p in self.formulae), key=lambda p: p.a_start)),
            net_chars=self.net_chars, coverage_a_raw=self.coverage_b_raw, coverage_b_raw=self.coverage_a_raw,
        )

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
            "net_chars": self.net_chars,
            "coverage_a_raw": round(self.coverage_a_raw, 4),
            "coverage_b_raw": round(self.coverage_b_raw, 4),
        }

    def to_json(self) -> dict[str, Any]:
        return {**self._figures(), "passages": [p.to_json() for p in self.passages],
                "formulae": [p.to_json() for p in self.formulae]}

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
    # part pairs that share only formulae, or less than min_chars outside them: not reported
    unreported: tuple[PairReport, ...] = ()

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
            "formulae": [{"a": p.a, "b": p.b, "passages": [x.to_json() for x in p.formulae]}
                         for p in (*self.pairs, *self.unreported) if p.formulae],
        }

    def pairs_frame(self) -> pd.DataFrame:
        """One row per part pair: a, b, shared_chars, coverage_a, coverage_b, passages, longest."""
        import pandas as pd

        return pd.DataFrame([pair.summary() for pair in self.pairs], columns=PAIR_FIELDS)

    def passages_frame(self) -> pd.DataFrame:
        """One row per passage, with the pair's document IDs."""
        import pandas as pd

        rows = [{"a": pair.a, "b": pair.b, **p.to_json()} for pair, p in self.passages]
        columns = ["a", "b", "a_start", "a_end", "b_start", "b_end", "identity", "a_text", "b_text"]
        return pd.DataFrame(rows, columns=columns)
