"""The comparison key: what two texts are compared as, with a map back to the stored text.

Each text becomes a key string, one key character per visible text character, with an index
map back to ``Document.text``: punctuation folds to one class (so ``，`` matches ``,`` and ``。``
matches ``；``), digits to another (``3月`` matches ``5月``), letters are lower-cased, whitespace is
dropped (line breaks don't matter) and a placeholder run (``xx``, ``××``, ``某某``, ``_``) becomes
one wildcard character. Offsets of the key always map back to the stored text.

Mirrors of one article on other sites garble it; the key folds the garbles away so a mirror
matches its source, while every key character still maps to the stored text:

* full-/half-width forms fold to one (``Ａ`` ≡ ``A``, ``，`` ≡ ``,``), one character for one;
* Traditional characters fold to Simplified where the conversion is one to one (``長`` ≡ ``长``);
* pinyin annotations after a character (``長(zhǎng)``, ``镇（zhèn）``) are skipped;
* spaced-out OCR characters (``党 建 工 作``) need nothing: whitespace is skipped anyway.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from array import array
from collections.abc import Sequence
from dataclasses import dataclass

# Private-use code points: never present in clean text, so they can't collide.
WILDCARD = "\ue000"
PUNCT = "\ue001"
DIGIT = "\ue002"

# Placeholders that 范文 sites leave for the unit/person/year: xx, XXX, ××, 某某, 20_年, ○○, **.
PLACEHOLDER = re.compile(r"[xX×]{2,}|某{2,}|[_＿]+|○{2,}|\*{2,}")
# A pinyin annotation right after a Chinese character: 長(zhǎng), 镇（zhèn）, 行(xing2).
_PINYIN_LETTERS = "a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüêńňǹḿ"
PINYIN_ANNOTATION = re.compile(
    rf"(?<=[\u3400-\u9fff])[(（][{_PINYIN_LETTERS}]{{1,6}}[1-5]?[)）]"
)


@dataclass(frozen=True)
class MatchKey:
    """The comparison key of a text: ``key[i]`` stands for ``text[starts[i]:ends[i]]``."""

    key: str
    starts: Sequence[int]
    ends: Sequence[int]


# --all compares each document with many others, so keys are cached; offsets are kept in int32
# arrays (8 bytes per character instead of ~70 for tuples of ints) to keep the cache small.
@functools.lru_cache(maxsize=1024)
def match_key(text: str) -> MatchKey:
    """The comparison key of ``text`` (see the module docstring), with its offset map."""
    placeholders = {m.start(): m.end() for m in PLACEHOLDER.finditer(text)}
    skipped = {m.start(): m.end() for m in PINYIN_ANNOTATION.finditer(text)}
    key: list[str] = []
    starts = array("i")
    ends = array("i")
    i = 0
    while i < len(text):
        end = placeholders.get(i)
        if end is not None:
            key.append(WILDCARD)
        elif i in skipped:
            i = skipped[i]
            continue
        else:
            end = i + 1
            folded = _fold_char(text[i])
            if folded is None:
                i = end
                continue
            key.append(folded)
        starts.append(i)
        ends.append(end)
        i = end
    return MatchKey("".join(key), starts, ends)


@functools.lru_cache(maxsize=8192)
def _fold_char(ch: str) -> str | None:
    """The key character of one text character; None for characters the key skips."""
    category = unicodedata.category(ch)
    if ch.isspace() or category[0] in "CZ":
        return None
    if category[0] in "PS":
        return PUNCT
    if category == "Nd":
        return DIGIT
    if ch in _t2s():
        return _t2s()[ch]
    width = unicodedata.normalize("NFKC", ch)  # Ａ → A, ｶ → カ: one character for one
    return (width if len(width) == 1 else ch).lower()


@functools.lru_cache(maxsize=1)
def _t2s() -> dict[str, str]:
    from ..normalize import t2s_chars

    return t2s_chars()


fold_char = _fold_char  # public name for other matchers that must fold text the same way
