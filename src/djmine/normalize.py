"""Normalise scraped text (NFKC, Traditional → Simplified, whitespace); rejoin wrapped lines.

Everything here keeps line numbers stable: line N of ``normalize_text(raw)`` is line N of ``raw``
(after ``\\r\\n``/``\\r`` became ``\\n``), so later stages can point back into the raw file.
"""

from __future__ import annotations

import logging
import os
import re
import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from djmine.models import Line

if TYPE_CHECKING:
    import opencc

# Zero-width characters carry no text; C0/C1 controls (other than whitespace) are scraper
# residue. Removing them before whitespace collapsing keeps "a \u200b b" to a single space.
_INVISIBLE_RE = re.compile("[\u200b-\u200d\u2060\ufeff\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]+")

# Enumeration markers that open headings and list items: 一、 (一) 1、 1. 1) 第一… 一是 首先.
# Shared with djmine.clean, which must never treat a numbered heading as chrome.
ENUMERATION_RE = re.compile(
    r"(?:第[一二三四五六七八九十百零〇\d]+[、.,章节条部分是个点]?"
    r"|[一二三四五六七八九十百]+[、.是]"
    r"|\([一二三四五六七八九十百\d]+\)"
    r"|\d{1,3}(?:[、.)]|\s)(?!\d)"
    r"|[A-Za-z][、.)](?![A-Za-z])"
    r"|首先|其次|再次|最后|另外"
    r")"
)
# A numbered part title such as "医院党建工作总结范文(三)": it ends in its own number.
_NUMBERED_TITLE_RE = re.compile(r".{2,40}\((?:[一二三四五六七八九十百]+|\d{1,3})\)")

# A line ending in one of these finished a sentence, a clause list or a bracket: never join it.
_CLOSING = frozenset("。.!?;:…”’」』)]】》〉>,、~\"'—-")
_PUNCT_RE = re.compile(r"[,、。;:!?]")
_FIRST_CLAUSE_RE = re.compile(r"[^,、。;:!?]{1,8}[,、。]")
_CJK_RE = re.compile(r"[\u3400-\u9fff]")

# Thresholds for the clause-fragment signal (see _splits_clause).
_MIN_CLAUSE_LINE = 20
_MAX_DANGLING_TAIL = 2
_BOUNDARY_CHARS = 4


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    # Loading the OpenCC dictionaries takes ~50 ms; do it once, on first use.
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def _tokenizer() -> Any:
    """A jieba tokenizer on jieba's dictionary, loaded on first use (only when a line break
    needs checking). jieba_fast_dat, when installed, gives the same words from a 30 MB
    double-array trie in 0.02 s; jieba itself holds an 85 MB dict and takes ~1 s to load. Both
    log to stderr while loading; a library must stay quiet."""
    import importlib.util

    import jieba

    jieba.setLogLevel(logging.WARNING)
    try:
        import jieba_fast_dat
    except ImportError:
        return jieba.dt
    jieba_fast_dat.setLogLevel(logging.WARNING)
    origin = importlib.util.find_spec("jieba").origin  # type: ignore[union-attr]
    tokenizer = jieba_fast_dat.Tokenizer(dictionary=os.path.join(os.path.dirname(origin), "dict.txt"))
    tokenizer.initialize()
    return tokenizer


def preload() -> None:
    """Load what normalising and joining lines use (OpenCC, its table of Traditional
    characters, jieba's dictionary) now rather than on first use, e.g. before forking workers
    that then share it."""
    _traditional_chars()
    _tokenizer()


def normalize_text(text: str) -> str:
    """Normalise a decoded page: NFKC, Traditional → Simplified, one kind of space.

    Lines written in Traditional characters become Simplified (see `to_simplified`); lines
    already in Simplified are left as they are.

    Line breaks become ``\\n``; every other space character becomes ``' '``; runs of spaces
    collapse to one; each line is stripped; zero-width and control characters are removed. The
    number of lines never changes, so line N of the result is line N of the input.

    Args:
        text: The decoded text of one scraped file.

    Returns:
        The normalised text, with exactly as many ``\\n`` as ``text`` has line breaks.

    Example:
        >>> normalize_text("醫院黨建\\u3000工作\\r\\n\\uff08一\\uff09\\t總結 ")
        '医院党建 工作\\n(一) 总结'
    """
    return "\n".join(normalize_lines(text))


def normalize_lines(text: str) -> list[str]:
    """`normalize_text` as a list of lines (what the pipeline works on): line N is line N of
    ``text`` after ``\\r\\n``/``\\r`` became ``\\n``.

    Example:
        >>> normalize_lines("一、\\u3000思想建设 \\r\\n\\uff08二\\uff09")
        ['一、 思想建设', '(二)']
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = nfkc(_INVISIBLE_RE.sub("", text))
    lines = text.split("\n")
    if _has_traditional(text):
        lines = [to_simplified(line) if _has_traditional(line) else line for line in lines]
    # str.split() splits on exactly the characters regex \s matches (str.isspace), collapses
    # runs and drops them at both ends: one C call per line instead of three regex passes.
    return [" ".join(line.split()) for line in lines]


def to_simplified(line: str) -> str:
    """One line converted from Traditional to Simplified characters by OpenCC (t2s).

    Only lines that hold a Traditional-only character are worth converting, and only those may
    be: t2s reads 坏 as the Traditional 坏 (pī, a variant of 坯), so it turns the Simplified
    "打坏了" into "打坯了". `normalize_lines` leaves Simplified lines alone for that reason.

    Example:
        >>> to_simplified("醫院黨建工作總結")
        '医院党建工作总结'
    """
    converted = _converter().convert(line)
    return line if "\n" in converted else converted  # never change the line count


def _has_traditional(text: str) -> bool:
    """Whether ``text`` holds a character that OpenCC's t2s changes on its own."""
    bmp, astral = _traditional_chars()
    if bmp.search(text):
        return True
    return bool(_ASTRAL_RE.search(text)) and not astral.isdisjoint(text)


_ASTRAL_RE = re.compile("[\U00010000-\U0010ffff]")


@lru_cache(maxsize=1)
def _traditional_chars() -> tuple[re.Pattern[str], frozenset[str]]:
    """The characters t2s converts on their own (5,119 in OpenCC 1.4), read off the installed
    OpenCC in one call (20 ms): a regex of those in the BMP, and the set of the rest.
    A character class of BMP characters only is a bitmap the regex engine scans at 400 MB/s."""
    # Every Chinese character: from the CJK radicals (U+2E80) up, and the supplementary planes.
    chars = [chr(c) for c in (*range(0x2E80, 0xD800), *range(0xF900, 0x10000), *range(0x20000, 0x323B0))]
    converted = _converter().convert("\n".join(chars)).split("\n")
    if len(converted) != len(chars):  # pragma: no cover - OpenCC changed how it treats "\n"
        converted = [_converter().convert(c) for c in chars]
    changed = [c for c, form in zip(chars, converted, strict=True) if form != c]
    bmp = "".join(re.escape(c) for c in changed if ord(c) < 0x10000)
    return re.compile(f"[{bmp}]"), frozenset(c for c in changed if ord(c) >= 0x10000)


@lru_cache(maxsize=1)
def t2s_chars() -> dict[str, str]:
    """Traditional → Simplified for the characters t2s converts one to one, on their own.

    Matching folds text with this map (one character for one, so folded offsets are text
    offsets); characters whose conversion depends on context or changes length are left out.
    """
    bmp, _ = _traditional_chars()
    chars = [c for c in bmp.pattern[1:-1].replace("\\", "") if c]
    converted = _converter().convert("\n".join(chars)).split("\n")
    if len(converted) != len(chars):  # pragma: no cover - OpenCC changed how it treats "\n"
        return {}
    return {c: s for c, s in zip(chars, converted, strict=True) if len(s) == 1 and s != c}


def nfkc(text: str) -> str:
    """Unicode NFKC, fast on scraped Chinese.

    ``unicodedata.normalize`` decomposes and recomposes every CJK character (~15 MB/s) although
    almost none of them change; the characters that do change in such pages are full-width
    forms and a few compatibility symbols. So: substitute the characters whose NFKC form differs
    (a table built once over the BMP), then fall back to the full algorithm only if the result
    is still not normalised (combining marks, characters outside the BMP).
    """
    if unicodedata.is_normalized("NFKC", text):
        return text
    pattern, table = _nfkc_table()
    # A page holds a handful of distinct such characters (，：（）０-９…), each many times:
    # replacing each distinct one in C beats a Python callback per occurrence 3x. NFKC output
    # never contains a character NFKC would change, so the order of replacements is irrelevant.
    for char in set(pattern.findall(text)):
        text = text.replace(char, table[char])
    if unicodedata.is_normalized("NFKC", text):
        return text
    return unicodedata.normalize("NFKC", text)


@lru_cache(maxsize=1)
def _nfkc_table() -> tuple[re.Pattern[str], dict[str, str]]:
    table: dict[str, str] = {}
    for code in range(0x80, 0x10000):
        char = chr(code)
        if 0xD800 <= code < 0xE000 or unicodedata.combining(char):
            continue
        form = unicodedata.normalize("NFKC", char)
        if form != char:
            table[char] = form
    pattern = re.compile("[" + "".join(re.escape(c) for c in sorted(table)) + "]")
    return pattern, table


def join_broken_lines(lines: list[Line]) -> list[Line]:
    """Join lines that a scraper wrapped in the middle of a sentence.

    A joined line keeps the ``number`` of its first line; the texts are concatenated with no
    separator. The rules are conservative: a heading glued to the paragraph after it is worse
    than a sentence left split, so a line is only joined when it ends without punctuation, is
    not a short unpunctuated title, the next line is not a heading or list item, and either the
    break cuts a word in two (``思想政|治工作``) or it leaves a clause fragment on each side
    (``…单一,不够|多样化,…``). Known miss: a paragraph wrapped between two whole words
    (``…等党员|履行…``) stays split.

    Args:
        lines: Kept lines of one file, in order.

    Returns:
        A new list with broken lines joined.

    Example:
        >>> join_broken_lines([Line(3, "(二)围绕中心任务,大力开展思想政"), Line(4, "治工作。")])
        [Line(number=3, text='(二)围绕中心任务,大力开展思想政治工作。')]
    """
    joined: list[Line] = []
    for line in lines:
        if joined and _should_join(joined[-1].text, line.text):
            previous = joined.pop()
            line = Line(previous.number, previous.text + line.text)
        joined.append(line)
    return joined


def looks_like_heading(text: str) -> bool:
    """Whether a line opens with an enumeration marker or is a numbered part title.

    Args:
        text: One normalised line.

    Returns:
        True for "一、…", "(二)…", "1、…", "第三…", "一是…", "医院党建工作总结范文(三)".
    """
    return bool(ENUMERATION_RE.match(text) or _NUMBERED_TITLE_RE.fullmatch(text))


def _should_join(current: str, following: str) -> bool:
    if not current or not following or current[-1] in _CLOSING:
        return False
    if looks_like_heading(following) or following[0] in "(【《“\"'[":
        return False
    if len(current) < _MIN_CLAUSE_LINE and not _PUNCT_RE.search(current):
        return False  # a short line without any punctuation is a title or heading
    # The cheap clause test first; jieba only for what it leaves undecided.
    return _splits_clause(current, following) or _splits_word(current, following)


def _splits_clause(current: str, following: str) -> bool:
    """The break leaves a dangling clause fragment: "…形式和方法单一,不够" + "多样化,…".

    The line must be long and already list clauses, its last clause (after a comma) must be at
    most two characters, and the next line must finish that clause within a few characters.
    Headings end on a full clause ("…,促进医院行风建设", "抓党建、带队伍、促发展"), so a
    two-character tail after a comma is a strong sign of a wrap. Lists joined by "、" are left
    alone: their items are often that short.
    """
    if len(current) < _MIN_CLAUSE_LINE:
        return False
    cut = current.rfind(",")
    if cut < 0 or len(current) - cut - 1 > _MAX_DANGLING_TAIL or "、" in current[cut:]:
        return False
    return bool(_FIRST_CLAUSE_RE.match(following))


def _splits_word(current: str, following: str) -> bool:
    """The break falls inside one jieba word, and the line ends on a dangling character."""
    tail, head = current[-_BOUNDARY_CHARS:], following[:_BOUNDARY_CHARS]
    if not (_CJK_RE.match(tail[-1]) and _CJK_RE.match(head[0])):
        return False
    return _word_spans_break(tail, head)


@lru_cache(maxsize=4096)
def _word_spans_break(tail: str, head: str) -> bool:
    # Cached: 范文 corpora repeat the same headings and boundaries many times. HMM is off
    # because it guesses new words from character statistics and would glue unrelated
    # characters across the break; only dictionary words count.
    jieba = _tokenizer()
    if len(list(jieba.cut(tail, HMM=False))[-1]) != 1:
        return False  # the line ends on a whole word ("…基本情况"), so the break is natural
    position = 0
    for word in jieba.cut(tail + head, HMM=False):
        if position < len(tail) < position + len(word):
            return True
        position += len(word)
    return False
