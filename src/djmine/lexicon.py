"""The 党建 lexicon and the stopword lists, bundled under ``data/`` and extendable by the user.

The lexicon (``data/lexicon.tsv``) names the terms segmentation must keep whole — slogans,
campaigns, theories, institutions, meeting types, documents, congresses and plenums — with a
category and, where it is a historical fact, the year the term first appeared officially.

The stopwords (``data/stopwords.txt``) come in two sections: ``[function]`` words (function words
and the genre's empty verbs and adverbs) never stand at either end of a phrase; ``[filler]`` words
(the genre's filler nouns) never start one but may end one (组织建设). Neither is ever a theme.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .errors import UsageError

#: Bump when segmentation changes in a way that makes cached tokens stale.
SEGMENTER_VERSION = "1"
#: Categories whose terms are genre vocabulary: kept whole, but not boosted as themes.
UNBOOSTED = frozenset({"concept", "organization"})
USER_CATEGORY = "user"
_SECTIONS = ("function", "filler")


@dataclass(frozen=True)
class Term:
    """A lexicon entry. ``year`` is the year the term first appeared, or None."""

    term: str
    category: str
    year: int | None


@dataclass(frozen=True)
class Lexicon:
    """Bundled plus user terms keyed by their (NFKC-normalised) text."""

    terms: dict[str, Term]
    fingerprint: str

    def __contains__(self, term: object) -> bool:
        return term in self.terms

    def __len__(self) -> int:
        return len(self.terms)

    def kind_of(self, term: str, tokens: int = 1) -> str:
        """``"slogan"`` for a lexicon term, else ``"phrase"`` if it spans several tokens, else ``"word"``."""
        if term in self.terms:
            return "slogan"
        return "phrase" if tokens > 1 else "word"

    def year_of(self, term: str) -> int | None:
        entry = self.terms.get(term)
        return entry.year if entry else None


def normalize_term(text: str) -> str:
    """Terms are compared with NFKC-normalised corpus text."""
    return unicodedata.normalize("NFKC", text).strip()


def load_lexicon(user_file: Path | None = None) -> Lexicon:
    """The bundled lexicon, extended (and overridden term by term) by ``user_file``.

    The user file has one term a line: ``term[<TAB or spaces>category[<TAB or spaces>year]]``;
    blank lines and lines starting with ``#`` are skipped. A lone second field of four digits is
    taken as the year.

    Raises:
        UsageError: the file is missing or unreadable, or a line is malformed (names file:line).
    """
    terms = dict(_bundled_terms())
    if user_file is not None:
        for term in _parse_user_lexicon(Path(user_file)):
            terms[term.term] = term
    return Lexicon(terms=terms, fingerprint=_fingerprint(terms))


def load_stopwords(user_file: Path | None = None, *, replace: bool = False) -> frozenset[str]:
    """All stopwords: the bundled list plus ``user_file`` (or only ``user_file`` if ``replace``)."""
    sections = stopword_sections(user_file, replace=replace)
    return frozenset().union(*sections.values())


def stopword_sections(
    user_file: Path | None = None, *, replace: bool = False
) -> dict[str, frozenset[str]]:
    """Stopwords by section (``function``, ``filler``); see the module docstring."""
    base = (
        {name: set() for name in _SECTIONS}
        if replace
        else {k: set(v) for k, v in _bundled_stopwords().items()}
    )
    if user_file is not None:
        path = Path(user_file)
        for section, words in _parse_stopwords(_read_user_file(path), str(path)).items():
            base[section] |= words
    return {name: frozenset(words) for name, words in base.items()}


def bundled_function_words() -> frozenset[str]:
    """The bundled ``[function]`` section (themes keeps it out of phrase edges)."""
    return _bundled_stopwords()["function"]


# ----- parsing ------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _bundled_terms() -> tuple[tuple[str, Term], ...]:
    text = resources.files("djmine.data").joinpath("lexicon.tsv").read_text(encoding="utf-8")
    out: dict[str, Term] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#") or line.startswith("term\t"):
            continue
        fields = line.split("\t")
        term = _parse_fields(fields, "lexicon.tsv", number, default_category="")
        out[term.term] = term
    return tuple(out.items())


def _parse_user_lexicon(path: Path) -> list[Term]:
    terms = []
    for number, line in enumerate(_read_user_file(path).splitlines(), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        fields = stripped.split("\t") if "\t" in stripped else stripped.split()
        terms.append(_parse_fields([f.strip() for f in fields], str(path), number, USER_CATEGORY))
    return terms


def _parse_fields(fields: list[str], where: str, number: int, default_category: str) -> Term:
    if len(fields) > 3:
        raise UsageError(
            f"{where}:{number}: expected 'term [category [year]]', got {len(fields)} fields"
        )
    term = normalize_term(fields[0])
    if not term:
        raise UsageError(f"{where}:{number}: empty term")
    if any(ch.isspace() for ch in term):
        raise UsageError(
            f"{where}:{number}: term '{term}' contains a space; terms are single tokens"
        )
    category = fields[1].strip() if len(fields) > 1 else ""
    year_text = fields[2].strip() if len(fields) > 2 else ""
    if len(fields) == 2 and category.isdigit() and len(category) == 4:
        category, year_text = "", category
    return Term(term, category or default_category, _parse_year(year_text, where, number))


def _parse_year(text: str, where: str, number: int) -> int | None:
    if not text:
        return None
    if not (text.isascii() and text.isdigit() and 1900 <= int(text) <= 2100):
        raise UsageError(f"{where}:{number}: year '{text}' is not a year between 1900 and 2100")
    return int(text)


def _read_user_file(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UsageError(f"file not found: {path}") from None
    except UnicodeDecodeError as exc:
        raise UsageError(
            f"{path} is not UTF-8 text ({exc.reason} at byte {exc.start}); save it as UTF-8"
        ) from None
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from None


@lru_cache(maxsize=1)
def _bundled_stopwords() -> dict[str, frozenset[str]]:
    text = resources.files("djmine.data").joinpath("stopwords.txt").read_text(encoding="utf-8")
    return {k: frozenset(v) for k, v in _parse_stopwords(text, "stopwords.txt").items()}


def _parse_stopwords(text: str, where: str) -> dict[str, set[str]]:
    sections: dict[str, set[str]] = {name: set() for name in _SECTIONS}
    current = "filler"
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("[") and stripped.endswith("]"):
            current = stripped[1:-1].strip().lower()
            if current not in sections:
                raise UsageError(
                    f"{where}:{number}: unknown section [{current}]; use [function] or [filler]"
                )
            continue
        for word in stripped.split():
            sections[current].add(normalize_term(word))
    return sections


def _fingerprint(terms: dict[str, Term]) -> str:
    # Only the term texts change how text is segmented; categories and years do not, so editing
    # them keeps the token cache.
    digest = hashlib.sha256(f"segmenter {SEGMENTER_VERSION}\n".encode())
    for term in sorted(terms):
        digest.update(term.encode("utf-8") + b"\n")
    return digest.hexdigest()[:16]
