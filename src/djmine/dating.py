"""Dating: the earliest year a document can have been written (its terminus post quem).

A document cannot be older than the newest thing it names. The evidence is read off the clean
text in one regex pass per document:

* ``explicit`` — a year the text states (``Document.years``: 2022年, 2021-02-12);
* ``congress`` / ``plenum`` — 党的十九大, 十八届中央, 十六届三中全会 (years from
  ``data/congresses.tsv``, so congresses the lexicon lacks still count);
* ``plan`` — five-year plans named by number (十二五 → 2011; not to be confused with 十二大);
* ``anniversary`` — 建党九十二周年 → 1921 + 92 = 2013;
* ``lexicon`` — a lexicon term with a first-appearance year (两学一做 → 2016).

The estimate is the maximum evidence year; the evidence is listed newest first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from .lexicon import Lexicon
    from .models import Document

EvidenceKind = Literal["explicit", "congress", "plenum", "plan", "anniversary", "lexicon"]

_NUMERALS = "零一二三四五六七八九十百"


@dataclass(frozen=True)
class Evidence:
    """One dated reference: ``doc.text[start:start + len(term)] == term`` (start is None if the
    year is known from ``Document.years`` but not found in the text)."""

    term: str
    year: int
    kind: EvidenceKind
    start: int | None


@dataclass(frozen=True)
class DateEstimate:
    """The earliest plausible year of document ``id`` (None without evidence), and why."""

    id: str
    year: int | None
    evidence: list[Evidence] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "year": self.year,
            "evidence": [
                {"term": e.term, "year": e.year, "kind": e.kind, "start": e.start} for e in self.evidence
            ],
        }


@dataclass(frozen=True)
class Calendar:
    """The dated events of ``data/congresses.tsv``."""

    congresses: dict[str, int]  # 十九 -> 2017
    plenums: dict[str, int]  # 十九届六中 -> 2021
    plans: dict[str, int]  # 十二五 -> 2011
    anniversaries: dict[str, int]  # 建党 -> 1921


@lru_cache(maxsize=1)
def load_calendar() -> Calendar:
    """Read the bundled congress/plenum/plan/anniversary table."""
    tables: dict[str, dict[str, int]] = {"congress": {}, "plenum": {}, "plan": {}, "anniversary": {}}
    text = resources.files("djmine").joinpath("data/congresses.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, name, year, *_ = line.split("\t")
        tables[kind][name] = int(year)
    return Calendar(tables["congress"], tables["plenum"], tables["plan"], tables["anniversary"])


# ----- the matcher -------------------------------------------------------------------------
def alternation(words: Iterable[str]) -> str:
    """A regex matching any of ``words``, longest first at each branch (a prefix trie, so a
    few hundred terms cost one branch per character rather than one try per term)."""
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = True
    return _trie_pattern(trie)


def _trie_pattern(node: dict) -> str:
    ends_here = "" in node
    branches = [re.escape(char) + _trie_pattern(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    # a shorter word ends here: the longer continuation is optional (and tried first)
    return f"(?:{body})?" if ends_here else body


_CN_NUMBER = f"[{_NUMERALS}]{{1,4}}|\\d{{1,3}}"


class _Matcher:
    """The compiled patterns for one lexicon. Separate passes beat one big alternation here:
    each pattern starts with a small set of literal characters, which ``re`` scans for in C."""

    def __init__(self, calendar: Calendar, term_years: dict[str, int]):
        congress = alternation(calendar.congresses)
        self.calendar = calendar
        self.term_years = term_years
        # 第十九次全国代表大会 / 十九届六中全会 / 十八届中央 / 十六大 / 十二五. Not 十大 (ten best),
        # 十五大类, 十三届全国人大 (the NPC: 届 counts only before N中全会 or 中央), 第十九届运动会.
        self.calendar_pattern = re.compile(
            rf"(?<![{_NUMERALS}第])(?:"
            rf"第(?P<full>{congress})次全国代表大会"
            rf"|(?P<cc>{congress})(?:届(?:(?P<pn>[一二三四五六七八九])中全会|(?=中央))|大(?![类项件种批个]))"
            rf"|(?P<plan>{alternation(calendar.plans)})(?![{_NUMERALS}])"
            ")"
        )
        self.anniversary_pattern = re.compile(
            rf"(?P<event>{alternation(calendar.anniversaries)})(?P<n>{_CN_NUMBER})周年"
        )
        self.lexicon_pattern = re.compile(alternation(term_years)) if term_years else None

    def scan(self, doc: Document) -> Iterator[Evidence]:
        """Every dated reference in ``doc``, pass by pass (calendar, anniversaries, stated years,
        lexicon); the same term may come more than once."""
        text = doc.text
        for m in self.calendar_pattern.finditer(text):
            evidence = self._calendar_evidence(m)
            if evidence is not None:
                yield evidence
        if "周年" in text:
            for m in self.anniversary_pattern.finditer(text):
                years = parse_number(m["n"])
                if years is not None and 0 < years < 200:
                    year = self.calendar.anniversaries[m["event"]] + years
                    yield Evidence(m.group(), year, "anniversary", m.start())
        for year in doc.years:
            stated = re.search(rf"(?<!\d){year}(?!\d)", text)
            yield Evidence(str(year), year, "explicit", stated.start() if stated else None)
        if self.lexicon_pattern is not None:
            for m in self.lexicon_pattern.finditer(text):
                yield Evidence(m.group(), self.term_years[m.group()], "lexicon", m.start())

    def _calendar_evidence(self, m: re.Match[str]) -> Evidence | None:
        congresses, plenums = self.calendar.congresses, self.calendar.plenums
        if m["full"]:
            return Evidence(m.group(), congresses[m["full"]], "congress", m.start())
        if m["plan"]:
            return Evidence(m.group(), self.calendar.plans[m["plan"]], "plan", m.start())
        if m["pn"]:
            year = plenums.get(f"{m['cc']}届{m['pn']}中")
            # a plenum the table doesn't know (十五届九中) is no evidence
            return Evidence(m.group(), year, "plenum", m.start()) if year else None
        return Evidence(m.group(), congresses[m["cc"]], "congress", m.start())


_MATCHERS: dict[str, _Matcher] = {}


def _matcher(lexicon: Lexicon) -> _Matcher:
    """The patterns for ``lexicon``, cached by its fingerprint and its dated terms."""
    years = {t.term: t.year for t in lexicon.terms.values() if t.year is not None and t.term}
    key = f"{lexicon.fingerprint}:{hash(frozenset(years.items()))}"
    matcher = _MATCHERS.get(key)
    if matcher is None:
        matcher = _MATCHERS[key] = _Matcher(load_calendar(), years)
    return matcher


# ----- dating ------------------------------------------------------------------------------
def date_document(doc: Document, lexicon: Lexicon) -> DateEstimate:
    """The terminus post quem of ``doc`` with its evidence, newest first.

    Each term is reported once, at its first occurrence. The year is the newest evidence year.

    Example:
        >>> date_document(doc, load_lexicon()).year   # doc mentions “两学一做”
        2016
    """
    return _date(doc, _matcher(lexicon))


def _date(doc: Document, matcher: _Matcher) -> DateEstimate:
    found: dict[str, Evidence] = {}
    for evidence in matcher.scan(doc):
        known = found.get(evidence.term)
        if known is None or (known.kind == evidence.kind and _before(evidence, known)):
            found[evidence.term] = evidence
    newest_first = sorted(found.values(), key=lambda e: (-e.year, e.start if e.start is not None else -1))
    return DateEstimate(doc.id, newest_first[0].year if newest_first else None, newest_first)


def _before(a: Evidence, b: Evidence) -> bool:
    return a.start is not None and (b.start is None or a.start < b.start)


def parse_number(text: str) -> int | None:
    """A small number in Arabic or Chinese numerals: 92, 九十二, 一百, 百 → int (None if not one)."""
    if text.isdigit():
        return int(text)
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")}
    total, current = 0, 0
    for char in text:
        if char in digits:
            current = digits[char]
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        elif char == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current


def date_documents(documents: Iterable[Document], lexicon: Lexicon) -> list[DateEstimate]:
    """:func:`date_document` for each document, in order."""
    matcher = _matcher(lexicon)
    return [_date(doc, matcher) for doc in documents]


def earliest_years(documents: Iterable[Document], lexicon: Lexicon) -> dict[str, int | None]:
    """Document ID → earliest plausible year (None where nothing dates it), for `djmine list`."""
    return {estimate.id: estimate.year for estimate in date_documents(documents, lexicon)}
