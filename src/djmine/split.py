"""Split a 范文 compilation into its articles.

Scraped 范文 pages often bundle several articles ("医院党建工作总结范文(一)" … "(五)", "【篇一】",
"第一篇:…", "范文1"). :func:`split_articles` finds such article markers and cuts the lines there,
while leaving single articles with numbered *sections* ("一、", "(一)", "第一部分") whole.

A line is an article marker when it is short, stands on its own (optionally followed by a title),
and has one of these shapes:

- ``bracket``: ``【篇一】标题``, ``【篇1】``, ``【第二篇】``, ``【范文3】`` (grouped by shape);
- ``di``: ``第一篇``, ``第一篇:标题``, ``第1篇 标题`` (grouped by shape);
- ``pian``: ``篇一``, ``篇二:标题`` (grouped by shape);
- ``word``: ``范文1``, ``范文二:标题``, ``例文一``, ``精选范文(一)``, ``医院党建工作总结范文(一)``
  (grouped by the article word and by whether the number is in parentheses);
- ``titled``: ``医院党建工作总结(一)`` — no article word, so grouped by the exact prefix, which
  must end in a document word such as 总结/报告/讲话.

Markers of one group must run 1, 2, 3, … (Chinese 一…九十九, 壹…, or Arabic) and there must be at
least two of them. A marker that breaks the sequence ends it: "篇一, 篇三" does not split, and
"篇一, 篇二, 篇四" splits at 篇一 and 篇二 only (篇四 stays inside the second article). Markers on
consecutive lines are a table of contents, not articles. When several groups qualify, the longest
run wins, then the earliest. The word lists live in ``data/split_markers.toml``.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from djmine.models import Line

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

__all__ = ["Article", "Split", "split_articles"]

_NUM = r"[0-9]{1,2}|[一二三四五六七八九十壹贰叁肆伍陆柒捌玖拾]{1,3}"
# Between a marker and its title: a colon or similar, or plain whitespace ("第一篇 标题").
_SEP = r"(?:\s*[:：、.．\-—]\s*|\s+)"
# A title-like prefix never contains sentence or list punctuation; this also keeps section
# headings such as "一、…(一)" or "(一)…" from becoming prefixes.
_PREFIX_CHAR = r"[^,，。;；!！?？:：、()（）【】]"
_SENTENCE_END = tuple("。!！?？;；,，:：…")
# A line that opens with a section number ("一、", "(二)", "3.") is a heading, never a title.
_SECTION_START = re.compile(rf"^\s*(?:[(（](?:{_NUM})[)）]|(?:{_NUM})\s*[、.．])")
_CN_DIGITS = {c: i for i, c in enumerate("一二三四五六七八九", start=1)}
_CN_FORMAL = str.maketrans("壹贰叁肆伍陆柒捌玖拾", "一二三四五六七八九十")


@dataclass(frozen=True)
class Article:
    """One article of a file: its title and its lines, starting with its marker line if any."""

    title: str
    lines: list[Line]


@dataclass(frozen=True)
class Split:
    """The articles of one file, plus a compilation's shared intro (``[]`` for a single article)."""

    intro: list[Line]
    articles: list[Article]


@dataclass(frozen=True)
class _Marker:
    index: int  # position in the input sequence, not the source line number
    number: int
    style: tuple[str, ...]
    title: str  # "" when the marker line carries no title after the number
    bare: bool  # nothing but the marker (and generic words): the next line may be the title


@dataclass(frozen=True)
class _Grammar:
    pattern: re.Pattern[str]
    max_marker_chars: int
    max_title_chars: int
    max_single_title_chars: int
    excerpt_chars: int
    generic_prefixes: tuple[str, ...]


def split_articles(lines: Sequence[Line]) -> Split:
    """Split the cleaned lines of one file into articles.

    Args:
        lines: The file's normalised lines in order (``Line.number`` is the source line number).

    Returns:
        A :class:`Split`. For a compilation, ``intro`` holds the lines before the first marker
        and each article starts at its marker line. Otherwise ``intro`` is empty and the single
        article holds every line. Every input line appears exactly once, in order.

    Example:
        >>> text = ["篇一", "学校党建工作总结", "正文。", "篇二", "社区党建工作总结", "正文。"]
        >>> split = split_articles([Line(i, t) for i, t in enumerate(text)])
        >>> [a.title for a in split.articles]
        ['学校党建工作总结', '社区党建工作总结']
    """
    lines = list(lines)
    if not lines:
        return Split(intro=[], articles=[])
    grammar = _grammar()
    run = _best_run(_find_markers(lines, grammar), len(lines))
    if run is None:
        return Split(intro=[], articles=[Article(_single_title(lines, grammar), lines)])
    ends = [m.index for m in run[1:]] + [len(lines)]
    articles = [
        Article(_article_title(lines, marker, end, grammar), lines[marker.index : end])
        for marker, end in zip(run, ends, strict=True)
    ]
    return Split(intro=lines[: run[0].index], articles=articles)


def parse_number(text: str) -> int | None:
    """Read an article number written in Arabic or Chinese numerals (1–99).

    Args:
        text: ``"3"``, ``"一"``, ``"十二"``, ``"二十"``, ``"贰"`` …

    Returns:
        The value, or ``None`` if ``text`` is not a well-formed number in 1–99.
    """
    if text.isascii():
        return int(text) if text.isdigit() and 0 < int(text) < 100 else None
    text = text.translate(_CN_FORMAL)
    tens, sep, ones = text.partition("十")
    if not sep:
        return _CN_DIGITS.get(text) if len(text) == 1 else None
    high = _CN_DIGITS.get(tens, 0) if tens else 1
    low = _CN_DIGITS.get(ones, 0) if ones else 0
    if (tens and not high) or (ones and not low):
        return None
    return high * 10 + low


def _find_markers(lines: list[Line], grammar: _Grammar) -> dict[tuple[str, ...], list[_Marker]]:
    """Every marker-shaped line, grouped by style, in line order."""
    by_style: dict[tuple[str, ...], list[_Marker]] = {}
    match = grammar.pattern.match
    limit = grammar.max_marker_chars
    for index, line in enumerate(lines):
        # Length check first: most lines of a corpus are long prose and never reach the regex.
        if len(line.text) > limit:
            continue
        found = match(line.text)
        if found is None:
            continue
        marker = _marker_from_match(index, found, grammar)
        if marker is not None:
            by_style.setdefault(marker.style, []).append(marker)
    return by_style


def _marker_from_match(index: int, found: re.Match[str], grammar: _Grammar) -> _Marker | None:
    """Turn a match of the marker regex into a :class:`_Marker` (``None`` if the number is bad)."""
    kind = found.lastgroup or ""
    groups = {k: v for k, v in found.groupdict().items() if v is not None}
    number = parse_number(groups.get(f"{kind}_num") or groups.get(f"{kind}_pnum", ""))
    if number is None:
        return None
    title = (groups.get(f"{kind}_title") or groups.get(f"{kind}_ptitle") or "").strip()
    prefix = groups.get(f"{kind}_prefix", "").strip()
    style: tuple[str, ...] = (kind,)
    if kind == "word":
        # "范文1" and "范文(一)" are different styles; any title-like prefix may precede the word.
        style = (kind, groups["word_word"], "paren" if "word_pnum" in groups else "plain")
    elif kind == "titled":
        # No article word: only an exactly repeated prefix makes "XXX总结(一)" a marker.
        style = (kind, prefix)
    bare = not title and (kind != "titled") and not _strip_generic(prefix, grammar)
    return _Marker(index=index, number=number, style=style, title=title, bare=bare)


def _strip_generic(prefix: str, grammar: _Grammar) -> str:
    """The prefix without words such as 精选/优秀 that say nothing about the article."""
    for word in grammar.generic_prefixes:
        prefix = prefix.replace(word, "")
    return prefix.strip()


def _runs(markers: list[_Marker]) -> list[list[_Marker]]:
    """Cut one style's markers into runs numbered 1, 2, 3, …; a marker that breaks it is dropped."""
    runs: list[list[_Marker]] = []
    current: list[_Marker] = []
    for marker in markers:
        if marker.number == 1:
            current = [marker]
            runs.append(current)
        elif current and marker.number == current[-1].number + 1:
            current.append(marker)
        else:
            current = []
    return runs


def _best_run(by_style: dict[tuple[str, ...], list[_Marker]], n_lines: int) -> list[_Marker] | None:
    """The run that splits the file, or ``None`` when the file is a single article.

    A run needs at least two markers, and every marker must be followed by at least one line
    before the next marker (or the end): back-to-back markers are a table of contents, whose
    entries would otherwise become empty articles. Among valid runs the longest wins; ties go to
    the one that starts first.
    """
    best: list[_Marker] | None = None
    for markers in by_style.values():
        for run in _runs(markers):
            ends = [m.index for m in run[1:]] + [n_lines]
            if len(run) < 2 or any(end - m.index < 2 for m, end in zip(run, ends, strict=True)):
                continue
            if best is None or (len(run), -run[0].index) > (len(best), -best[0].index):
                best = run
    return best


def _article_title(lines: list[Line], marker: _Marker, end: int, grammar: _Grammar) -> str:
    """A compilation article's title: the marker's own title, the next line, or the marker line."""
    if marker.title:
        return marker.title
    after = marker.index + 1
    if marker.bare and after < end and _is_title_like(lines[after].text, grammar.max_title_chars):
        return lines[after].text.strip()
    return lines[marker.index].text.strip()


def _single_title(lines: list[Line], grammar: _Grammar) -> str:
    """A single article's title: its first line if title-like, else an excerpt of it."""
    first = next((line.text.strip() for line in lines if line.text.strip()), "")
    if len(first) <= grammar.max_single_title_chars and not first.endswith("。"):
        return first
    return first[: grammar.excerpt_chars] + "…"


def _is_title_like(text: str, max_chars: int) -> bool:
    """Short, not a sentence, and not a numbered section heading."""
    text = text.strip()
    return (
        0 < len(text) <= max_chars
        and not text.endswith(_SENTENCE_END)
        and not _SECTION_START.match(text)
    )


@lru_cache(maxsize=1)
def _grammar() -> _Grammar:
    """Load ``data/split_markers.toml`` once and compile the marker regex from it."""
    source = resources.files("djmine").joinpath("data/split_markers.toml").read_text("utf-8")
    config: dict[str, Any] = tomllib.loads(source)
    return _Grammar(
        pattern=_compile_pattern(config["article_words"], config["document_words"]),
        max_marker_chars=int(config["max_marker_chars"]),
        max_title_chars=int(config["max_title_chars"]),
        max_single_title_chars=int(config["max_single_title_chars"]),
        excerpt_chars=int(config["excerpt_chars"]),
        generic_prefixes=tuple(config["generic_prefixes"]),
    )


def _alternation(words: Sequence[str]) -> str:
    # Longest first, so that "心得体会" wins over "心得" inside the alternation.
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def _compile_pattern(
    article_words: Sequence[str], document_words: Sequence[str]
) -> re.Pattern[str]:
    """One anchored regex with a named outer group per marker style (read via ``lastgroup``).

    Each style's outer group closes last, so ``match.lastgroup`` names the style that matched.
    """
    words = _alternation(article_words)
    docs = _alternation(document_words)

    def paren(group: str) -> str:
        return rf"[(（]\s*(?P<{group}>{_NUM})\s*[)）]"

    bracket = (
        rf"(?P<bracket>【\s*(?:(?P<bracket_di>第)|篇|{words})\s*(?P<bracket_num>{_NUM})\s*"
        rf"(?(bracket_di)篇)\s*】\s*[:：]?\s*(?P<bracket_title>.*?))"
    )
    di = rf"(?P<di>第\s*(?P<di_num>{_NUM})\s*篇(?:{_SEP}(?P<di_title>.*?))?)"
    pian = rf"(?P<pian>篇\s*(?P<pian_num>{_NUM})(?:{_SEP}(?P<pian_title>.*?))?)"
    word = (
        rf"(?P<word>(?P<word_prefix>{_PREFIX_CHAR}{{0,40}}?)(?P<word_word>{words})\s*"
        rf"(?:{paren('word_pnum')}(?:{_SEP}?(?P<word_ptitle>.*?))?"
        rf"|(?P<word_num>{_NUM})(?:{_SEP}(?P<word_title>.*?))?))"
    )
    titled = (
        rf"(?P<titled>(?P<titled_prefix>{_PREFIX_CHAR}{{0,40}}?(?:{docs}))\s*"
        rf"{paren('titled_num')})"
    )
    return re.compile(rf"^\s*(?:{bracket}|{di}|{pian}|{word}|{titled})\s*$")
