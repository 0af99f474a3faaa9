"""Facts read off a clean text: the years it mentions and the template placeholders it carries."""

from __future__ import annotations

import re

# A year is a 4-digit number 1949–2035 that reads as a year: followed by 年 (2010年, 2022年度)
# or by a month in a numeric date (2021-02-12, 2021.6, 2021/02). Bare numbers (投资1800万元,
# 2000人) are not years.
# Written to open with a literal digit (the lookbehind checks the character before it), so the
# regex engine scans for "1"/"2" in C instead of trying the lookbehind at every position: 5x faster.
_YEAR = re.compile(r"(?:1(?<!\d1)(9[4-9]\d)|2(?<!\d2)(0[0-3]\d))(?=年|[-./]\d{1,2}(?!\d))")

# Placeholders left by template sites. The text is NFKC-normalised, so ＸＸ is already XX and
# full-width ＿ is _. "20__年"/"_年_月" count once per blank.
PLACEHOLDER = re.compile(
    r"(?<![A-Za-z])[xX×]{2,}(?![A-Za-z])"  # xx医院, XX, ××, xxxx
    r"|某某+"  # 某某同志
    r"|(?:19|20)?_+(?=[年月日号])"  # 20__年, 20_年, _月_日
    r"|(?<!\*)\*{3,}(?!\*)"  # ***
    r"|(?<=[年月日])_+|_{2,}"  # blanks after a date unit or long fill-in lines
)
# The same matches, found fast: the branches above open with lookbehinds, which the regex engine
# would try at every position; a lookahead for the characters a match can start with rules out
# almost every position first (10x faster on prose, and the same matches).
_PLACEHOLDER_FAST = re.compile(r"(?=[xX×某_*12])(?:" + PLACEHOLDER.pattern + ")")


def years_mentioned(text: str) -> tuple[int, ...]:
    """Explicit years 1949–2035 named in ``text``, sorted, each once."""
    years = {int("1" + a if a else "2" + b) for a, b in _YEAR.findall(text)}
    return tuple(sorted(y for y in years if 1949 <= y <= 2035))


def count_placeholders(text: str) -> int:
    """How many template placeholders (xx, ××, 某某, 20__年, ***) ``text`` contains."""
    return sum(1 for _ in _PLACEHOLDER_FAST.finditer(text))
