"""Tests for djmine.split: article markers vs. section headings, titles, and the line invariant."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from djmine.models import Line
from djmine.split import Article, Split, parse_number, split_articles

SEEDS = Path(__file__).resolve().parents[1] / "data" / "seeds"
BODY = "今年以来,我院党委认真贯彻落实上级部署,党建工作取得了明显成效。"


def _normalize(text: str) -> str:
    try:
        from djmine.normalize import normalize_text
    except ImportError:  # the normaliser is written in parallel; NFKC is what matters here
        return unicodedata.normalize("NFKC", text)
    return normalize_text(text)


def _lines(texts: list[str]) -> list[Line]:
    return [Line(i, t) for i, t in enumerate(texts)]


def _seed_lines(prefix: str) -> list[Line]:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    text = _normalize(path.read_bytes().decode("utf-8", errors="replace"))
    return [Line(i, t) for i, t in enumerate(text.split("\n")) if t.strip()]


def _texts(article: Article) -> list[str]:
    return [line.text for line in article.lines]


def _flatten(split: Split) -> list[Line]:
    return split.intro + [line for article in split.articles for line in article.lines]


# --- seeds -------------------------------------------------------------------------------------


def test_seed_000_gives_five_articles_at_the_markers() -> None:
    lines = _seed_lines("000")
    split = split_articles(lines)

    markers = [f"医院党建工作总结范文({n})" for n in "一二三四五"]
    assert [a.lines[0].text for a in split.articles] == markers
    assert [a.title for a in split.articles] == markers
    marker_at = [i for i, line in enumerate(lines) if line.text in markers]
    ends = marker_at[1:] + [len(lines)]
    for article, start, end in zip(split.articles, marker_at, ends, strict=True):
        assert article.lines == lines[start:end]
    assert _flatten(split) == lines


def test_seed_000_keeps_chrome_in_intro_and_the_third_article_intact() -> None:
    split = split_articles(_seed_lines("000"))

    intro = "\n".join(line.text for line in split.intro)
    assert "小编" not in "".join("".join(_texts(a)) for a in split.articles)
    if split.intro:  # only present when the cleaner has not removed the chrome
        assert "小编" in intro or "范文大全" in intro
    assert "一年来,上海武警总医院坚持以邓小平理论" in "".join(_texts(split.articles[2]))


@pytest.mark.parametrize("prefix", ["001", "002", "003", "004"])
def test_other_seeds_are_single_articles(prefix: str) -> None:
    lines = _seed_lines(prefix)
    split = split_articles(lines)

    assert split.intro == []
    assert len(split.articles) == 1
    assert split.articles[0].lines == lines
    assert split.articles[0].title == lines[0].text.strip()


# --- compilations, one test per marker style ---------------------------------------------------


def test_bare_pian_markers_take_the_next_line_as_title() -> None:
    texts = ["篇一", "医院党建工作总结", BODY, "篇二", "学校党建工作总结", BODY, BODY]
    texts += ["篇三", "社区党建工作总结", BODY]
    split = split_articles(_lines(texts))

    assert split.intro == []
    assert [a.title for a in split.articles] == [
        "医院党建工作总结",
        "学校党建工作总结",
        "社区党建工作总结",
    ]
    assert [len(a.lines) for a in split.articles] == [3, 4, 3]


@pytest.mark.parametrize(
    ("markers", "titles"),
    [
        # 【篇N】 with the title after the bracket
        (
            ["【篇一】医院党建工作总结", "【篇二】学校党建工作总结"],
            ["医院党建工作总结", "学校党建工作总结"],
        ),
        (
            ["【篇1】医院党建工作总结", "【篇2】 学校党建工作总结"],
            ["医院党建工作总结", "学校党建工作总结"],
        ),
        (["【第一篇】:医院总结", "【第二篇】:学校总结"], ["医院总结", "学校总结"]),
        (["【范文1】医院总结", "【范文2】学校总结"], ["医院总结", "学校总结"]),
        # 第N篇
        (["第一篇:党建工作总结", "第二篇:支部工作总结"], ["党建工作总结", "支部工作总结"]),
        (["第1篇 党建工作总结", "第2篇 支部工作总结"], ["党建工作总结", "支部工作总结"]),
        # 篇N with a title
        (
            ["篇一:医院党建工作总结", "篇二:学校党建工作总结"],
            ["医院党建工作总结", "学校党建工作总结"],
        ),
        # 范文N / 例文N
        (["范文1:医院总结", "范文2:学校总结"], ["医院总结", "学校总结"]),
        (["范文一、医院总结", "范文二、学校总结"], ["医院总结", "学校总结"]),
        (["例文一:医院总结", "例文二:学校总结"], ["医院总结", "学校总结"]),
        # full-width punctuation that survived (no NFKC) still works
        (["第一篇：党建工作总结", "第二篇：支部工作总结"], ["党建工作总结", "支部工作总结"]),
        (["范文（一）医院总结", "范文（二）学校总结"], ["医院总结", "学校总结"]),
    ],
)
def test_titled_markers_split_and_give_their_titles(markers: list[str], titles: list[str]) -> None:
    texts = [markers[0], BODY, BODY, markers[1], BODY]
    split = split_articles(_lines(texts))

    assert [a.title for a in split.articles] == titles
    assert [a.lines[0].text for a in split.articles] == markers


@pytest.mark.parametrize(
    "markers",
    [
        ["第一篇", "第二篇"],
        ["第1篇", "第2篇"],
        ["范文1", "范文2"],
        ["范文一", "范文二"],
        ["例文一", "例文二"],
        ["精选范文(一)", "精选范文(二)"],
        ["范文(1)", "范文(2)"],
        ["【篇一】", "【篇二】"],
        ["篇壹", "篇贰"],
    ],
)
def test_bare_markers_split_and_take_the_next_line_as_title(markers: list[str]) -> None:
    texts = [markers[0], "医院党建工作总结", BODY, markers[1], "学校党建工作总结", BODY]
    split = split_articles(_lines(texts))

    assert [a.title for a in split.articles] == ["医院党建工作总结", "学校党建工作总结"]
    assert [a.lines[0].text for a in split.articles] == markers


def test_marker_with_a_title_like_prefix_is_its_own_title() -> None:
    texts = ["医院党建工作总结范文(一)", BODY, "医院党建工作总结范文(二)", BODY]
    split = split_articles(_lines(texts))

    assert [a.title for a in split.articles] == texts[::2]


def test_repeated_document_prefix_with_numbers_is_a_marker() -> None:
    texts = ["社区党建工作总结(一)", BODY, "一、基本情况", BODY, "社区党建工作总结(二)", BODY]
    split = split_articles(_lines(texts))

    assert [len(a.lines) for a in split.articles] == [4, 2]
    assert split.articles[0].title == "社区党建工作总结(一)"


@pytest.mark.parametrize(
    "markers",
    [
        ["社区党建工作总结(一)", "学校党建工作总结(二)"],  # prefix differs
        ["情况统计表(一)", "情况统计表(二)"],  # no document word: a table caption
        ["(一)", "(二)"],  # bare section numbers
    ],
)
def test_numbered_lines_without_a_shared_document_prefix_do_not_split(markers: list[str]) -> None:
    texts = ["标题", markers[0], BODY, markers[1], BODY]
    assert len(split_articles(_lines(texts)).articles) == 1


def test_compilation_with_table_of_contents_splits_at_the_bodies() -> None:
    texts = ["党建工作总结范文3篇", "篇一:医院党建工作总结", "篇二:学校党建工作总结"]
    texts += ["篇三:社区党建工作总结"]
    for n, title in zip("一二三", ["医院", "学校", "社区"], strict=True):
        texts += [f"篇{n}:{title}党建工作总结", BODY, BODY]
    split = split_articles(_lines(texts))

    assert [line.text for line in split.intro] == texts[:4]
    assert [a.title for a in split.articles] == [
        "医院党建工作总结",
        "学校党建工作总结",
        "社区党建工作总结",
    ]
    assert all(len(a.lines) == 3 for a in split.articles)


def test_intro_prose_before_the_first_marker_goes_to_intro() -> None:
    texts = [
        "下面是小编整理的党建工作总结范文,供大家参考。",
        "篇一",
        "医院",
        BODY,
        "篇二",
        "学校",
        BODY,
    ]
    split = split_articles(_lines(texts))

    assert [line.text for line in split.intro] == texts[:1]
    assert len(split.articles) == 2


def test_two_digit_chinese_numbers_continue_the_sequence() -> None:
    numerals = [*"一二三四五六七八九十", "十一", "十二"]
    texts = [text for n in numerals for text in (f"第{n}篇", BODY)]
    split = split_articles(_lines(texts))

    assert len(split.articles) == 12
    assert split.articles[-1].lines[0].text == "第十二篇"


def test_source_line_numbers_are_kept() -> None:
    lines = [Line(3, "范文1"), Line(5, BODY), Line(9, "范文2"), Line(12, BODY)]
    split = split_articles(lines)

    assert [[line.number for line in a.lines] for a in split.articles] == [[3, 5], [9, 12]]


# --- single articles and non-splits ------------------------------------------------------------


def test_numbered_sections_and_pian_in_a_sentence_do_not_split() -> None:
    texts = [
        "医院党建工作总结",
        "一、基本情况",
        "(一)创新学习载体,加强党员理想信念教育。 一是科学优化了学习计划。",
        "(二)优化医疗服务,加强阵地建设。",
        "我院开展了篇一律的检查",
        "二、存在的问题",
        "(一)",
        BODY,
        "(二)",
        "1、学习不够深入。",
        "2、制度落实不够。",
        "第一部分 工作回顾",
        "第二部分 工作打算",
        "第一章",
        "第二章",
    ]
    split = split_articles(_lines(texts))

    assert split.intro == []
    assert len(split.articles) == 1
    assert split.articles[0].title == "医院党建工作总结"


@pytest.mark.parametrize(
    "markers",
    [
        ["篇一", "篇三"],  # skips a number
        ["篇二", "篇三"],  # does not start at 1
        ["篇一", "篇一"],  # does not increase
        ["篇一", "范文2"],  # two different styles
    ],
)
def test_broken_sequences_do_not_split(markers: list[str]) -> None:
    texts = ["标题", markers[0], BODY, markers[1], BODY]
    assert len(split_articles(_lines(texts)).articles) == 1


def test_a_single_marker_does_not_split() -> None:
    texts = ["篇一", "医院党建工作总结", BODY, BODY]
    split = split_articles(_lines(texts))

    assert split.intro == []
    assert [a.title for a in split.articles] == ["篇一"]


def test_a_sequence_is_cut_where_it_breaks() -> None:
    texts = ["篇一", BODY, "篇二", BODY, "篇四", BODY]
    split = split_articles(_lines(texts))

    assert [_texts(a) for a in split.articles] == [texts[:2], texts[2:]]


def test_back_to_back_markers_are_a_table_of_contents_not_articles() -> None:
    texts = ["第一篇:医院", "第二篇:学校", "第三篇:社区", BODY]
    assert len(split_articles(_lines(texts)).articles) == 1


def test_empty_input_gives_no_articles() -> None:
    assert split_articles([]) == Split(intro=[], articles=[])


# --- titles ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "title"),
    [
        ("医院党建工作总结", "医院党建工作总结"),
        ("  医院党建工作总结  ", "医院党建工作总结"),
        (BODY, BODY[:30] + "…"),
        ("很短的一句话。", "很短的一句话。"[:30] + "…"),
        ("长" * 51, "长" * 30 + "…"),
    ],
)
def test_single_article_title(first: str, title: str) -> None:
    assert split_articles(_lines([first, BODY])).articles[0].title == title


@pytest.mark.parametrize(
    "next_line",
    [BODY, "一、基本情况", "(一)领导重视", "长" * 41],
)
def test_bare_marker_is_its_own_title_when_the_next_line_is_not_title_like(next_line: str) -> None:
    texts = ["篇一", next_line, BODY, "篇二", next_line, BODY]
    assert [a.title for a in split_articles(_lines(texts)).articles] == ["篇一", "篇二"]


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("1", 1),
        ("12", 12),
        ("一", 1),
        ("九", 9),
        ("十", 10),
        ("十一", 11),
        ("二十", 20),
        ("二十三", 23),
        ("壹", 1),
        ("拾贰", 12),
        ("0", None),
        ("一一", None),
        ("十十", None),
        ("", None),
    ],
)
def test_parse_number(text: str, number: int | None) -> None:
    assert parse_number(text) == number


# --- invariant ---------------------------------------------------------------------------------

_LINE_TEXTS = st.sampled_from(
    [
        "篇一",
        "篇二",
        "篇三",
        "篇四",
        "第一篇:医院",
        "第二篇:学校",
        "【篇一】医院",
        "【篇二】学校",
        "范文1",
        "范文2",
        "范文3",
        "医院党建工作总结范文(一)",
        "医院党建工作总结范文(二)",
        "社区工作总结(一)",
        "社区工作总结(二)",
        "一、基本情况",
        "(一)领导重视",
        "(二)",
        "1、学习",
        "医院党建工作总结",
        BODY,
        "我院开展了篇一律的检查",
        "   ",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINE_TEXTS, max_size=30), st.integers(min_value=0, max_value=5))
def test_every_line_appears_exactly_once_in_order(texts: list[str], offset: int) -> None:
    lines = [Line(offset + 2 * i, text) for i, text in enumerate(texts)]
    split = split_articles(lines)

    assert _flatten(split) == lines
    assert all(article.lines for article in split.articles)
    assert bool(split.articles) == bool(lines)
    for article in split.articles:  # contiguous: consecutive source lines of the input
        first = lines.index(article.lines[0])
        assert article.lines == lines[first : first + len(article.lines)]
    if len(split.articles) == 1 and lines:
        assert split.intro == []
        assert split.articles[0].lines[0] == lines[0]
