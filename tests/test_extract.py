"""Years and placeholders read off clean text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from djmine.extract import count_placeholders, years_mentioned


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("2010年元月,投资1800万元放疗中心投入使用。", (2010,)),
        ("确定了2022年度基层党建“书记项目”", (2022,)),
        ("本文来源于2021/02/12,又见2021-02-12", (2021,)),
        ("共有2000人参加,投资1949万元", ()),  # bare numbers are not years
        ("1948年和2036年超出范围,1949年在内", (1949,)),
        ("在2004年1-6月医院召开纠风宣传会议15场次", (2004,)),
        ("04年上半年门急诊诊疗人次14.9万", ()),  # two-digit years are not explicit
        ("20__年和20_年是占位符", ()),
    ],
)
def test_years_mentioned(text: str, years: tuple[int, ...]) -> None:
    assert years_mentioned(text) == years


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("xx总医院坚持以邓小平理论和“xxxx”重要思想为指导", 2),
        ("XX医院、××单位、某某同志", 3),
        ("20__年,我院党建工作;20_年是关键一年", 2),
        ("从_年_月开始,到_月份基本完成", 3),
        ("联系人***,电话", 1),
        ("Linux和Xbox不是占位符,SARS也不是", 0),
        ("医院党建工作总结", 0),
    ],
)
def test_count_placeholders(text: str, count: int) -> None:
    assert count_placeholders(text) == count


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="xX×某_*年月日号12093ab医院 ,。", max_size=40))
def test_fast_placeholder_count_equals_the_full_pattern(text: str) -> None:
    from djmine.extract import PLACEHOLDER

    assert count_placeholders(text) == sum(1 for _ in PLACEHOLDER.finditer(text))


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="12093456789年月-./a医 ", max_size=40))
def test_fast_year_pattern_equals_the_plain_definition(text: str) -> None:
    # The plain definition: a 4-digit number not preceded by a digit, 1949-2035, followed by 年
    # or by a numeric month.
    import re

    plain = re.compile(r"(?<!\d)(\d{4})(?=年|[-./]\d{1,2}(?!\d))")
    expected = tuple(sorted({int(y) for y in plain.findall(text) if 1949 <= int(y) <= 2035}))
    assert years_mentioned(text) == expected
