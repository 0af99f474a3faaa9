"""Remove web-page chrome and scraper residue from normalised lines, recording every cut.

The rules live in ``data/chrome_rules.toml`` and describe kinds of chrome (URLs, watermarks,
copyright lines, navigation, widgets, paywalls, the site's 小编 introductions…), so that they
carry over to sites never seen. Two rules are built in: ``recurring-line`` (short lines that
several unrelated files share at their top or bottom, found by `recurring_chrome_lines`) and
``repeated-line`` (a line identical to the one before it).

Body text is sacred: a rule that could also match an article sentence is written to match only
a whole line that holds nothing else, and line rules never look at long lines.
"""

from __future__ import annotations

import bisect
import hashlib
import re
import sys
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

from djmine.models import Line, RemovedSpan
from djmine.normalize import looks_like_heading, normalize_text

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

RECURRING_LINE = "recurring-line"
REPEATED_LINE = "repeated-line"
RELATED_LIST = "related-list"
_BUILTIN_RULES = (RECURRING_LINE, REPEATED_LINE, RELATED_LIST)
# related-list: a link title is short and ends no sentence.
_MAX_LIST_ITEM_CHARS = 60

# recurring_chrome_lines: shape of a candidate line, and what counts as a body line.
_MAX_RECURRING_CHARS = 30
_MIN_RECURRING_CHARS = 4
_SENTENCE_PUNCT = frozenset("。,，;；!！?？:：")
_BODY_LINE_RE = re.compile(r"[。!?;]")
_MIN_BODY_CHARS = 15
_MIN_FINGERPRINT_CHARS = 40
# Generic document titles ("党建工作总结", "述职报告") recur in unrelated files without being chrome.
_TITLE_SUFFIX_RE = re.compile(
    r"(?:总结|报告|计划|方案|讲话|讲话稿|发言|发言稿|心得|体会|材料|汇报|述职|党课|意见|通知|决定"
    r"|制度|规定|办法|细则|提纲|纲要|范文|致辞|演讲稿|申请书|项目)(?:\([^()]{1,10}\))?"
)
# How far before an unclosed bracket an inline match may start ("字体:【大").
_LABEL_CHARS = 4
# Nothing left worth keeping once inline chrome is cut: no letter, digit or Chinese character.
_WORDLESS_RE = re.compile(r"[\W_]*")


@dataclass(frozen=True)
class ChromeRule:
    """One kind of chrome, as declared in ``chrome_rules.toml``."""

    name: str
    scope: Literal["line", "inline"]
    description: str
    patterns: tuple[str, ...] = ()
    markers: tuple[str, ...] = ()
    keys: tuple[str, ...] = ()
    max_chars: int = 200
    full_stop_ok: bool = True

    def fires_on(self, text: str) -> bool:
        """Whether the rule's guards let it remove the whole line ``text``."""
        return len(text) <= self.max_chars and (self.full_stop_ok or "。" not in text)


@dataclass(frozen=True)
class Cleaned:
    """The result of cleaning one file.

    ``lines`` are the kept lines, in order, with inline chrome cut out and blank lines dropped;
    ``removed`` holds every removed span with the name of the rule that removed it.
    """

    lines: list[Line]
    removed: list[RemovedSpan]


@dataclass(frozen=True)
class _LineRules:
    """The line rules allowed on one kind of line, compiled for a single pass each."""

    whole: re.Pattern[str] | None  # every rule's patterns, one named group per rule
    keys: re.Pattern[str] | None  # every key of the rules with markers
    marked: tuple[tuple[ChromeRule, re.Pattern[str]], ...]  # (rule, its markers), in order


@dataclass(frozen=True)
class _RuleSet:
    rules: tuple[ChromeRule, ...]
    by_group: dict[str, ChromeRule]
    # [0]: lines without "。"; [1]: lines with "。" (only rules with full_stop_ok).
    line: tuple[_LineRules, _LineRules]
    inline: re.Pattern[str] | None
    inline_trigger: re.Pattern[str]  # a character every inline match contains
    inline_start: re.Pattern[str]  # the character every inline match starts with
    max_line_chars: int
    short_chrome_words: frozenset[str]
    list_headings: re.Pattern[str] | None  # any of list_headings


def chrome_rules() -> tuple[ChromeRule, ...]:
    """All chrome rules in the order they are tried, including the two built-in ones.

    Returns:
        The rules of ``data/chrome_rules.toml``.
    """
    return _ruleset().rules


def clean_lines(lines: Sequence[str], *, chrome_lines: frozenset[str] = frozenset()) -> Cleaned:
    """Remove chrome from the normalised lines of one file.

    Whole-line rules are tried first, then the corpus-level ``chrome_lines``, then
    ``repeated-line``, then ``related-list`` (the link titles under a heading such as 相关推荐
    below the last body line); what survives has inline chrome (URLs, watermarks, HTML,
    widgets) cut out. A line left with no letter, digit or Chinese character is removed whole.

    Args:
        lines: The normalised lines of one file; the index is the line number.
        chrome_lines: Lines known to be chrome from the whole corpus (see
            `recurring_chrome_lines`); removed with the rule ``recurring-line``.

    Returns:
        The kept lines and every removed span; ``lines[span.line][span.start:span.end] ==
        span.text`` holds for each span.

    Example:
        >>> cleaned = clean_lines(["党员捐款", "本文来源:http://www.example.com/1.html"])
        >>> [line.text for line in cleaned.lines], [span.rule for span in cleaned.removed]
        (['党员捐款'], ['navigation'])
    """
    ruleset = _ruleset()
    inline = _inline_spans(lines, ruleset)
    related = _related_list_heading(lines, ruleset)
    kept: list[Line] = []
    removed: list[RemovedSpan] = []
    previous = ""
    for number, text in enumerate(lines):
        if not text.strip():
            continue
        rule = _whole_line_rule(text, ruleset, chrome_lines, previous)
        if rule is None and number > related and _is_list_item(text):
            rule = RELATED_LIST
        previous = text
        if rule is not None:
            removed.append(RemovedSpan(rule, number, 0, len(text), text))
            continue
        spans = inline.get(number)
        if not spans:
            kept.append(Line(number, text))
            continue
        kept_text = _cut(text, spans)
        if _WORDLESS_RE.fullmatch(kept_text):
            removed.append(RemovedSpan(_dominant_rule(spans), number, 0, len(text), text))
        else:
            removed.extend(RemovedSpan(r, number, s, e, text[s:e]) for s, e, r in spans)
            kept.append(Line(number, kept_text.strip()))
    return Cleaned(kept, removed)


def clean_text(text: str, *, chrome_lines: frozenset[str] = frozenset()) -> Cleaned:
    """Normalise a decoded file and clean it: `normalize_text`, split on ``\\n``, `clean_lines`.

    Args:
        text: The decoded text of one scraped file.
        chrome_lines: Corpus-level chrome lines, as for `clean_lines`.

    Returns:
        The cleaned lines; spans index the normalised lines.
    """
    return clean_lines(normalize_text(text).split("\n"), chrome_lines=chrome_lines)


@dataclass(frozen=True)
class ChromeProfile:
    """What one file contributes to the corpus-level chrome signal; small and picklable, so
    files can be profiled in worker processes and forgotten before the corpus is cleaned."""

    candidates: frozenset[str]  # short unpunctuated lines in the file's chrome zone
    # 8-byte digests of its long lines, to tell copies of one article, packed in one bytes
    # object: a frozenset of digests cost 150 bytes a line, a third of the corpus size.
    fingerprints: bytes

    def fingerprint_set(self) -> frozenset[int]:
        return frozenset(memoryview(self.fingerprints).cast("Q"))


def chrome_profile(lines: Sequence[str]) -> ChromeProfile:
    """Profile one file's normalised lines for :func:`recurring_lines`."""
    ruleset = _ruleset()
    return ChromeProfile(
        candidates=frozenset(_chrome_zone(lines, ruleset)),
        fingerprints=b"".join(
            hashlib.blake2b(t.encode("utf-8"), digest_size=8).digest()
            for t in lines
            if len(t) >= _MIN_FINGERPRINT_CHARS
        ),
    )


def recurring_lines(profiles: Mapping[str, ChromeProfile], *, min_sources: int = 2) -> frozenset[str]:
    """The chrome lines shared by ``min_sources`` unrelated files (see recurring_chrome_lines)."""
    sources_of: dict[str, list[str]] = defaultdict(list)
    for source, profile in profiles.items():
        for text in profile.candidates:
            sources_of[text].append(source)
    return frozenset(
        text
        for text, sources in sources_of.items()
        if len(sources) >= min_sources and _unrelated(sources, profiles, enough=min_sources) >= min_sources
    )


def recurring_chrome_lines(
    files: Mapping[str, Sequence[str]], *, min_sources: int = 2
) -> frozenset[str]:
    """Find site chrome by its repetition across a corpus: banners, footers, menu items.

    A line qualifies when it is short (at most 30 characters), has no sentence punctuation, is
    not a heading, list item or document title, and sits in the chrome zone of at least
    ``min_sources`` *unrelated* files. Being conservative matters more than finding every
    banner, because 范文 copies share their titles and unnumbered headings:

    * the chrome zone is the lines above a file's first body line or below its last one, so a
      heading such as "存在的问题" shared by many summaries is never counted;
    * a file's first line is its title slot and is never counted;
    * files count as unrelated only if they share no long line, so two copies of one article
      (which share everything) count once.

    Args:
        files: The normalised lines of every file in a run, keyed by source.
        min_sources: How many unrelated files must share a line.

    Returns:
        The chrome lines, to pass to `clean_lines` as ``chrome_lines``.
    """
    profiles = {source: chrome_profile(lines) for source, lines in files.items()}
    return recurring_lines(profiles, min_sources=min_sources)


def _whole_line_rule(
    text: str, ruleset: _RuleSet, chrome_lines: frozenset[str], previous: str
) -> str | None:
    rule = _line_rule(text, ruleset)
    if rule is not None:
        return rule
    if text in chrome_lines:
        return RECURRING_LINE
    if text == previous:
        return REPEATED_LINE
    return None


def _line_rule(text: str, ruleset: _RuleSet) -> str | None:
    """The name of the line rule that removes ``text`` whole, if any."""
    if len(text) > ruleset.max_line_chars:
        return None  # paragraphs are long, chrome lines short: the cheapest prefilter
    rules = ruleset.line[1 if "。" in text else 0]
    match = rules.whole.fullmatch(text) if rules.whole is not None else None
    if match is not None:
        rule = ruleset.by_group[match.lastgroup or ""]
        if rule.fires_on(text):
            return rule.name
    # Markers may match anywhere, which is slow over prose; the keys (plain strings, one
    # literal alternation) rule out almost every body line first.
    if rules.keys is None or not rules.keys.search(text):
        return None
    for rule, markers in rules.marked:
        if rule.fires_on(text) and any(k in text for k in rule.keys) and markers.search(text):
            return rule.name
    return None


def _inline_spans(lines: Sequence[str], ruleset: _RuleSet) -> dict[int, list[tuple[int, int, str]]]:
    """Inline chrome per line number, as (start, end, rule) within the line.

    Lines without a trigger character are skipped, which keeps this pass cheap on prose. A
    match may only cross line breaks from an unclosed bracket at the end of a line, as in the
    font-size widget split over three lines ("【大" / "中" / "小】"); it yields one span per line.
    """
    pattern = ruleset.inline
    if pattern is None:
        return {}
    starts = _line_starts(lines)
    text = "\n".join(lines)
    spans: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    consumed = 0
    # Jump from trigger to trigger over the joined text: the search runs in C, not per line.
    hit = ruleset.inline_trigger.search(text)
    while hit is not None:
        number = bisect.bisect_right(starts, hit.start()) - 1
        for match in _line_matches(text, lines, starts, number, consumed, pattern):
            consumed = match.end()
            rule = ruleset.by_group[match.lastgroup or ""].name
            for piece in _per_line(match.start(), match.end(), starts, lines):
                spans[piece[0]].append((piece[1], piece[2], rule))
        hit = ruleset.inline_trigger.search(text, starts[number] + len(lines[number]) + 1)
    return spans


def _line_matches(
    text: str,
    lines: Sequence[str],
    starts: list[int],
    number: int,
    consumed: int,
    pattern: re.Pattern[str],
) -> list[re.Match[str]]:
    """Non-empty inline matches that start on line ``number`` after offset ``consumed``."""
    line_start, line = starts[number], lines[number]
    matches = list(pattern.finditer(text, max(line_start, consumed), line_start + len(line)))
    bracket = line_start + max(line.rfind("【"), line.rfind("["))
    done = max(consumed, _end(matches))
    if bracket >= max(line_start, done):
        # A label may precede the bracket ("字体【大"): look a few characters back.
        begin = max(done, line_start, bracket - _LABEL_CHARS)
        match = pattern.search(text, begin, _window_end(lines, starts, number))
        if match is not None and match.start() <= bracket:
            matches.append(match)
    return [match for match in matches if match.end() > match.start()]


def _end(matches: list[re.Match[str]]) -> int:
    return matches[-1].end() if matches else 0


def _line_starts(lines: Sequence[str]) -> list[int]:
    starts, offset = [], 0
    for line in lines:
        starts.append(offset)
        offset += len(line) + 1
    return starts


def _window_end(lines: Sequence[str], starts: list[int], number: int) -> int:
    # Inline matches may run over the next two lines that hold anything (the 【大 / 中 / 小】
    # widget, which pages and scrapers also give blank lines between), no further.
    last, filled = number, 0
    while last + 1 < len(lines) and filled < 2:
        last += 1
        filled += bool(lines[last].strip())
    return starts[last] + len(lines[last])


def _per_line(
    start: int, end: int, starts: list[int], lines: Sequence[str]
) -> Iterator[tuple[int, int, int]]:
    """Split a match on the joined text into (line, start, end) pieces, skipping empty ones."""
    number = bisect.bisect_right(starts, start) - 1
    while number < len(lines) and starts[number] < end:
        piece_start = max(start, starts[number]) - starts[number]
        piece_end = min(end, starts[number] + len(lines[number])) - starts[number]
        if piece_end > piece_start:
            yield number, piece_start, piece_end
        number += 1


def _cut(text: str, spans: list[tuple[int, int, str]]) -> str:
    pieces, position = [], 0
    for start, end, _ in sorted(spans):
        pieces.append(text[position:start])
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def _dominant_rule(spans: list[tuple[int, int, str]]) -> str:
    return max(spans, key=lambda span: span[1] - span[0])[2]


def _chrome_zone(lines: Sequence[str], ruleset: _RuleSet) -> Iterator[str]:
    """Candidate lines above the first body line or below the last, minus the title slot."""
    first_body = next((i for i, text in enumerate(lines) if _is_body(text, ruleset)), len(lines))
    last_body = _last_body(lines, ruleset, default=len(lines))
    title = next((i for i, text in enumerate(lines) if text.strip()), -1)
    for i, text in enumerate(lines):
        in_zone = i < first_body or i > last_body
        if in_zone and i != title and _is_candidate(text, ruleset):
            yield text


def _related_list_heading(lines: Sequence[str], ruleset: _RuleSet) -> int:
    """The line number of the first link-list heading (相关推荐…) below the last body line,
    which another rule removes as chrome; len(lines) if there is none, or if no line reads as
    article text (a page of slogans or an outline has no sentences to stand below)."""
    last_body = _last_body(lines, ruleset, default=-1)
    if ruleset.list_headings is None or last_body < 0:
        return len(lines)
    for number in range(last_body + 1, len(lines)):
        text = lines[number]
        if ruleset.list_headings.search(text) and _line_rule(text, ruleset) is not None:
            return number
    return len(lines)


def _last_body(lines: Sequence[str], ruleset: _RuleSet, *, default: int) -> int:
    """The number of the last line that reads as article text, or ``default``."""
    return next((i for i in range(len(lines) - 1, -1, -1) if _is_body(lines[i], ruleset)), default)


def _is_list_item(text: str) -> bool:
    """A link to another page: short, no sentence, not a heading, and titled like a document
    (…总结, …报告, …范文), which a signature (中共…委员会) or a date never is."""
    return (len(text) <= _MAX_LIST_ITEM_CHARS and not _BODY_LINE_RE.search(text)
            and not looks_like_heading(text) and bool(_TITLE_SUFFIX_RE.search(text)))


def _is_body(text: str, ruleset: _RuleSet) -> bool:
    return len(text) >= _MIN_BODY_CHARS and bool(_BODY_LINE_RE.search(text)) and _line_rule(text, ruleset) is None


def _is_candidate(text: str, ruleset: _RuleSet) -> bool:
    if not text or len(text) > _MAX_RECURRING_CHARS or _SENTENCE_PUNCT.intersection(text):
        return False
    if len(text) < _MIN_RECURRING_CHARS and text not in ruleset.short_chrome_words:
        return False
    return not (looks_like_heading(text) or _TITLE_SUFFIX_RE.search(text[-8:]))


def _unrelated(sources: list[str], profiles: Mapping[str, ChromeProfile], *, enough: int) -> int:
    """How many of ``sources`` share no long line with each other (greedy count), counting no
    further than ``enough``: a line in thousands of unrelated files would otherwise cost a
    comparison of every pair of them."""
    chosen: list[frozenset[int]] = []
    for source in sources:
        lines = profiles[source].fingerprint_set()
        if all(lines.isdisjoint(other) for other in chosen):
            chosen.append(lines)
            if len(chosen) >= enough:
                break
    return len(chosen)


@lru_cache(maxsize=1)
def _ruleset() -> _RuleSet:
    """Load and compile ``chrome_rules.toml`` once, on first use."""
    raw = tomllib.loads(
        resources.files("djmine").joinpath("data").joinpath("chrome_rules.toml").read_text("utf-8")
    )
    default_max = int(raw.get("max_line_chars", 200))
    rules = tuple(_parse_rule(entry, default_max) for entry in raw["rule"])
    missing = set(_BUILTIN_RULES) - {rule.name for rule in rules}
    if missing:
        raise ValueError(f"chrome_rules.toml lacks the built-in rules {sorted(missing)}")
    by_group = {f"r{i}": rule for i, rule in enumerate(rules)}
    inline_rules = [(g, r) for g, r in by_group.items() if r.scope == "inline"]
    line_rules = [(g, r) for g, r in by_group.items() if r.scope == "line"]
    return _RuleSet(
        rules=rules,
        by_group=by_group,
        line=(
            _compile_line_rules(line_rules),
            _compile_line_rules([(g, r) for g, r in line_rules if r.full_stop_ok]),
        ),
        inline=_combine(inline_rules, lookahead=raw["inline_start"]),
        inline_trigger=re.compile(raw["inline_trigger"]),
        inline_start=re.compile(raw["inline_start"]),
        max_line_chars=max(r.max_chars for _, r in line_rules),
        short_chrome_words=frozenset(raw.get("short_chrome_words", ())),
        list_headings=re.compile("|".join(map(re.escape, raw["list_headings"]))) if raw.get("list_headings") else None,
    )


def _compile_line_rules(rules: list[tuple[str, ChromeRule]]) -> _LineRules:
    keys = sorted({k for _, rule in rules for k in rule.keys}, key=len, reverse=True)
    return _LineRules(
        whole=_combine(rules),
        keys=re.compile("|".join(map(re.escape, keys))) if keys else None,
        marked=tuple((r, re.compile("|".join(r.markers))) for _, r in rules if r.markers),
    )


def _parse_rule(entry: Mapping[str, Any], default_max: int) -> ChromeRule:
    name, scope = entry["name"], entry["scope"]
    if scope not in ("line", "inline"):
        raise ValueError(f"chrome rule {name!r}: scope {scope!r} is not 'line' or 'inline'")
    if entry.get("markers") and not entry.get("keys"):
        raise ValueError(f"chrome rule {name!r} has markers but no keys; add keys = [...]")
    return ChromeRule(
        name=name,
        scope=scope,
        description=entry["description"],
        patterns=tuple(entry.get("patterns", ())),
        markers=tuple(entry.get("markers", ())),
        keys=tuple(entry.get("keys", ())),
        max_chars=int(entry.get("max_chars", default_max)),
        full_stop_ok=bool(entry.get("full_stop_ok", True)),
    )


def _combine(rules: list[tuple[str, ChromeRule]], lookahead: str = "") -> re.Pattern[str] | None:
    """One alternation of the rules' patterns, one named group per rule: one regex pass.

    ``lookahead`` (a character class every match starts with) is tested before the alternation
    at each position, which makes searching prose several times faster.
    """
    branches = [
        f"(?P<{group}>{'|'.join(f'(?:{p})' for p in rule.patterns)})"
        for group, rule in rules
        if rule.patterns
    ]
    if not branches:
        return None
    return re.compile(
        f"(?={lookahead})(?:{'|'.join(branches)})" if lookahead else "|".join(branches)
    )
