"""Tests for djmine.normalize: normalize_text and join_broken_lines."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from djmine.models import Line
from djmine.normalize import join_broken_lines, looks_like_heading, normalize_text


def raw_line_count(text: str) -> int:
    return len(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))


@pytest.mark.parametrize(
    ("text_in", "text_out"),
    [
        # NFKC: full-width letters, digits and punctuation become ASCII.
        (
            "近年来，ｘｘ总医院坚持以“ｘｘｘｘ”重要思想为指导：",
            "近年来,xx总医院坚持以“xxxx”重要思想为指导:",
        ),
        ("（一）２０２１年！", "(一)2021年!"),
        # Traditional to Simplified.
        ("醫院黨建工作總結", "医院党建工作总结"),
        ("加強黨風廉政建設", "加强党风廉政建设"),
        # Line breaks.
        ("第一行\r\n第二行\r第三行\n", "第一行\n第二行\n第三行\n"),
        # Spaces: tab, NBSP, ideographic space, thin space; runs collapse; lines are stripped.
        ("审稿:孙\t虎\u00a0\u3000责编", "审稿:孙 虎 责编"),
        ("  一、以先进的理念灌输人  \n\u3000\u3000正文", "一、以先进的理念灌输人\n正文"),
        ("a\u2009\u2009b", "a b"),
        # Zero-width characters and byte-order marks vanish without leaving a space.
        ("\ufeff党\u200b建\u200c工\u200d作", "党建工作"),
        ("党建 \u200b 工作", "党建 工作"),
        # U+2028 and U+0085 are spaces here, never line breaks.
        ("党建\u2028工作\u0085总结", "党建 工作 总结"),
        ("", ""),
    ],
)
def test_normalize_text(text_in: str, text_out: str) -> None:
    assert normalize_text(text_in) == text_out


@given(st.text())
def test_normalize_keeps_line_count(text: str) -> None:
    assert len(normalize_text(text).split("\n")) == raw_line_count(text)


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_normalized_lines_are_clean(text: str) -> None:
    for line in normalize_text(text).split("\n"):
        assert line == line.strip(" ")
        assert "  " not in line
        assert not set(line) & {"\r", "\t", "\u3000", "\u00a0", "\u200b", "\ufeff"}


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200)
       | st.text(alphabet=" \t\n\r\x0b\x0c\x1c\x1f\x85\xa0\u2028\u3000\u200b党建,。", max_size=60))
def test_per_line_whitespace_equals_the_regex_definition(text: str) -> None:
    # normalize_lines collapses spaces with str.split(); the definition is the regex one: runs
    # of any whitespace but "\n" become one space, and each line is stripped.
    import re

    from djmine.normalize import _INVISIBLE_RE, _has_traditional, nfkc

    text = text.replace("\r\n", "\n").replace("\r", "\n")
    converted = nfkc(_INVISIBLE_RE.sub("", text))
    assume(not _has_traditional(converted))  # the spaces are the point here, not OpenCC
    expected = re.sub(r" ?\n ?", "\n", re.sub(r"[^\S\n]+", " ", converted)).strip(" ")
    assert normalize_text(text) == expected


def test_normalize_keeps_line_numbers_of_seed_lines() -> None:
    text = "标题\r\n\r\n\u3000\u3000正文第一段。\r\n（二）第二段"
    assert normalize_text(text).split("\n") == ["标题", "", "正文第一段。", "(二)第二段"]


# Pairs of consecutive lines from the seeds (after normalisation), and whether they are one
# sentence the scraper wrapped.
JOIN_CASES = [
    # 000: the break splits the word 政|治.
    (
        "(二)围绕医院改革、发展、稳定中心任务大力开展思想政",
        "治工作,在思想上、政治上、行动上与党中央和上级党委保持高度一致。",
        True,
    ),
    # 003: the break leaves a dangling clause "不够" before "多样化,".
    ("(二)各党支部在活动中创新少,形式和方法单一,不够", "多样化,不够丰富多彩。", True),
    # Headings stay apart from the paragraph after them.
    (
        "一、医院基层党组织和党员基本情况",
        "医院现有基层党支部5个,其中在职人员党支部4个,退休人员党支部1个。",
        False,
    ),
    (
        "医院党建工作总结范文(三)",
        "一年来,上海武警总医院坚持以邓小平理论,全面贯彻落实科学发展观。",
        False,
    ),
    (
        "一、积极探索党建思路,促进医院行风建设",
        "在组织建设方面,院总支始终把加强组织建设作为一项基础性工作来抓。",
        False,
    ),
    (
        "一、积极探索党建新思路,促进医院行风建设良性发展",
        "(一)在思想建设方面,医院积极探索改进党员、职工思想政治工作的方法。",
        False,
    ),
    ("(二)优化医疗服务,加强阵地建设。", "全面加强医院党组织阵地建设,着力抓好阵地服务功能。", False),
    ("(一)依托载体,扎实开展基本活动。", "医院的党建离开医疗活动,就没有生命力。", False),
    ("(一)领导重视,组织健全制定方案", "在接到中共市卫生局委员会关于印发《实施方案》后,", False),
    (
        "在接到中共市卫生局委员会关于印发《实施方案》后,",
        "1、我院领导班子非常重视,及时召开班子成员会议。",
        False,
    ),
    ("(五)围绕中心把握重点一点带面狠抓落实", "1、围绕工作中心重点,加强党支部建设。", False),
    ("社区中心工作情况统计表", "老年体检建挡人数辖区户数疫苗注射传染病管理", False),
    ("三、讲团结、讲补台、抓党建、带队伍、促发展", "今年,医院党委首先从自身抓起。", False),
    # 001: lines ending in ";" are finished clauses.
    ("发挥党员在医院管理、学科建设和优质服务三个方面的领头羊作用,敢于碰硬;", "敢于突破;", False),
    ("敢于突破;", "敢于创新;", False),
    # 001: a paragraph missing its final "。" before the next heading.
    (
        "这种特别能工作的求实作风影响了全院职工,职工中也涌现出许多可歌可泣的先进事迹",
        "五、以改革的事业留住人",
        False,
    ),
    ("书记党建项目", "【前言】", False),
    # A short line without punctuation is a title, even if the break would split a word.
    ("开展思想政", "治工作,在思想上一致。", False),
    ("二、基本党建工作", "(一)严格遵循有步骤、有计划地做好了发展党员的工作。", False),
]


@pytest.mark.parametrize(("first", "second", "joined"), JOIN_CASES)
def test_join_broken_lines(first: str, second: str, joined: bool) -> None:
    result = join_broken_lines([Line(7, first), Line(8, second)])
    if joined:
        assert result == [Line(7, first + second)]
    else:
        assert result == [Line(7, first), Line(8, second)]


def test_join_chains_several_wrapped_lines() -> None:
    lines = [
        Line(0, "一、概况"),
        Line(1, "(二)围绕医院改革、发展、稳定中心任务大力开展思想政"),
        Line(2, "治工作,在思想上、政治上、行动上与党中央保持一致,不够"),
        Line(4, "多样化,不够丰富。"),
    ]
    assert join_broken_lines(lines) == [
        Line(0, "一、概况"),
        Line(
            1,
            "(二)围绕医院改革、发展、稳定中心任务大力开展思想政"
            "治工作,在思想上、政治上、行动上与党中央保持一致,不够多样化,不够丰富。",
        ),
    ]


@given(
    st.lists(
        st.text(alphabet="党建工作思想政治,。、(一)1、总结不够多样化", max_size=30), max_size=12
    )
)
def test_join_only_concatenates(texts: list[str]) -> None:
    lines = [Line(i * 2, text) for i, text in enumerate(texts)]
    result = join_broken_lines(lines)
    assert "".join(line.text for line in result) == "".join(texts)
    assert {line.number for line in result} <= {line.number for line in lines}
    assert [line.number for line in result] == sorted(line.number for line in result)


@pytest.mark.parametrize(
    ("text", "heading"),
    [
        ("一、医院基层党组织和党员基本情况", True),
        ("(二)优化医疗服务,加强阵地建设。", True),
        ("1、我院领导班子非常重视。", True),
        ("1.开展阅读节活动。", True),
        ("第三,加强作风建设。", True),
        ("二是坚持开展主题党日活动。", True),
        ("医院党建工作总结范文(五)", True),
        ("1.5万平方米三栋家庭式小高层", False),
        ("20_年,我院党建工作按照卫计委党委工作部署。", False),
        ("十分重视党建工作。", False),
        ("三会一课制度得到落实。", False),
    ],
)
def test_looks_like_heading(text: str, heading: bool) -> None:
    assert looks_like_heading(text) is heading


_WIDE = "，。：；！？（）０１２ＡＢｘＸ　\u00a0㈠①ｶﾞ\u3099が醫院党建 ,abc\u0301e\U0001d400\ufb01"


@given(st.text(alphabet=_WIDE, max_size=80) | st.text(max_size=80))
def test_fast_nfkc_equals_unicodedata(text: str) -> None:
    import unicodedata

    from djmine.normalize import nfkc

    assert nfkc(text) == unicodedata.normalize("NFKC", text)


def test_simplified_lines_are_never_run_through_opencc() -> None:
    # OpenCC's t2s reads 坏 as the Traditional pī (坯): "打坏" would become "打坯".
    simplified = "他把杯子打坏了,土坏房子年久失修,一坏就是三年。"
    assert normalize_text(simplified) == simplified
    mixed = simplified + "\n醫院黨委深入開展學習教育。"
    assert normalize_text(mixed).split("\n") == [simplified, "医院党委深入开展学习教育。"]


def test_traditional_characters_are_those_opencc_converts_alone() -> None:
    import opencc

    from djmine.normalize import _has_traditional, _traditional_chars

    t2s = opencc.OpenCC("t2s")
    bmp, astral = _traditional_chars()
    members = [c for c in map(chr, range(0x4E00, 0xA000)) if bmp.fullmatch(c)]
    assert len(members) > 2000 and all(t2s.convert(c) != c for c in members)
    assert astral and all(t2s.convert(c) != c for c in astral)
    assert not _has_traditional("医院党委深入开展学习教育,破坏,打坏,坏事😀𠀀")
    assert _has_traditional("醫") and _has_traditional("开展" + next(iter(astral)))


@given(st.text(alphabet="医院党委深入开展学习教育打坏土坯一坏就是年月日,。、 \n"))
def test_normalising_simplified_text_changes_no_character(text: str) -> None:
    out = normalize_text(text)
    assert [" ".join(ln.split()) for ln in text.split("\n")] == out.split("\n")
