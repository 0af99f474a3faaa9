"""Reading files: discovery, encodings, formats and every kind of bad input."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from djmine.io import Skipped, SourceFile, decode_bytes, discover, html_to_text, read_source

BODY = "今年,医院党委深入开展“两学一做”学习教育,认真落实“三会一课”制度。\n二、加强党风廉政建设\n"
TRADITIONAL = "醫院黨委深入開展學習教育,認真落實三會一課制度。"


@pytest.mark.parametrize(
    ("encoding", "data_prefix", "expected"),
    [
        ("utf-8", b"", "utf-8"),
        ("utf-8", b"\xef\xbb\xbf", "utf-8-sig"),
        ("gb18030", b"", "gb18030"),
        ("gbk", b"", "gb18030"),
        ("gb2312", b"", "gb18030"),
        ("utf-16-le", b"\xff\xfe", "utf-16"),
        ("utf-16-be", b"\xfe\xff", "utf-16"),
    ],
)
def test_decodes_each_encoding(encoding: str, data_prefix: bytes, expected: str) -> None:
    text = BODY * 20
    result = decode_bytes(data_prefix + text.encode(encoding))
    assert not isinstance(result, str), result
    decoded, detected = result
    assert decoded.lstrip("\ufeff") == text
    assert detected == expected


def test_decodes_big5() -> None:
    text = TRADITIONAL * 20
    result = decode_bytes(text.encode("big5"))
    assert not isinstance(result, str), result
    decoded, detected = result
    assert decoded == text
    assert detected in {"big5", "big5hkscs", "cp950"}


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"  \n\n ", "empty file"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "binary file"),
        (b"\x00\x01\x02hello" * 50, "binary file"),
        (b"\xef\xbb\xbf\xff\xfe\xfd\xfc bad", "undecodable"),
    ],
)
def test_bad_bytes_have_reasons(data: bytes, reason: str) -> None:
    result = decode_bytes(data)
    assert isinstance(result, str)
    assert result.startswith(reason)


def test_random_bytes_are_not_read_as_text() -> None:
    import random

    rng = random.Random(7)
    data = bytes(rng.randrange(128, 256) for _ in range(5000))
    result = decode_bytes(data)
    # Random high bytes must be refused, never half-read into mojibake.
    assert isinstance(result, str) or sum(c in BODY for c in result[0]) == 0


def test_html_drops_scripts_and_keeps_blocks() -> None:
    html = ("<html><head><title>标题</title><style>p{color:red}</style><script>var a='广告';</script></head>"
            "<body><div class='nav'>首页</div><p>第一段。</p><p>第二段<br>换行。</p></body></html>")
    text = html_to_text(html)
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    assert "广告" not in text and "color" not in text
    assert lines == ["标题", "首页", "第一段。", "第二段", "换行。"]


def test_read_source_html_and_md(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text("<p>党建工作。</p><p>第二段。</p>", encoding="gb18030")
    (tmp_path / "b.md").write_text("# 标题\n\n**加强**党建。\n", encoding="utf-8")
    html = read_source(tmp_path / "a.html")
    md = read_source(tmp_path / "b.md")
    assert isinstance(html, SourceFile) and isinstance(md, SourceFile)
    assert "党建工作。" in html.text and "<p>" not in html.text
    assert md.text.splitlines()[0] == "标题" and "加强党建。" in md.text


def test_read_source_too_large(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(("党建。" * 100).encode() * 100)
    result = read_source(big, max_bytes=1000)
    assert isinstance(result, Skipped) and "limit" in result.reason and result.error


def test_discover_recurses_sorted_and_skips_other_formats(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "b.txt").write_text("x")
    (tmp_path / "a.TXT").write_text("x")
    (tmp_path / "sub" / "c.htm").write_text("x")
    (tmp_path / "img.png").write_bytes(b"\x89PNG")
    (tmp_path / ".hidden.txt").write_text("x")
    found = list(discover([tmp_path]))
    files = [p.name for p in found if isinstance(p, Path)]
    skipped = [s for s in found if isinstance(s, Skipped)]
    assert files == ["a.TXT", "b.txt", "c.htm"]
    assert len(skipped) == 1 and "unsupported format" in skipped[0].reason and not skipped[0].error


def test_discover_missing_path_and_symlink_loops(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.txt").write_text("党建。")
    os.symlink(tmp_path / "d", tmp_path / "d" / "loop")
    os.symlink(tmp_path / "self.txt", tmp_path / "self.txt")
    found = list(discover([tmp_path, tmp_path / "nope"]))
    reasons = {Path(s.path).name: s.reason for s in found if isinstance(s, Skipped)}
    assert reasons["nope"] == "no such file or directory"
    assert reasons["self.txt"] == "symlink loop"
    assert "symlink loop" in reasons["loop"]
    assert [p.name for p in found if isinstance(p, Path)] == ["a.txt"]


def test_permission_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locked = tmp_path / "locked.txt"
    locked.write_text("党建。")

    def refuse(self: Path) -> bytes:  # CI runs as root, where chmod 0 does not stop a read
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)
    result = read_source(locked)
    assert isinstance(result, Skipped) and result.reason == "permission denied" and result.error


def test_empty_folder_is_reported(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "pics").mkdir()
    (tmp_path / "pics" / "a.png").write_bytes(b"\x89PNG")
    found = list(discover([tmp_path / "empty", tmp_path / "pics"]))
    reasons = {Path(s.path).name: s.reason for s in found if isinstance(s, Skipped) and s.error}
    assert reasons == {"empty": "no .txt, .md, .html or .htm files in this folder",
                       "pics": "no .txt, .md, .html or .htm files in this folder"}


_HTML_TOKENS = ["<p>", "</p>", "<div>", "</div>", "<br>", "<br/>", "<script>", "</script>", "<style>",
                "</style>", "<!--", "-->", "<b>", "</b>", "<title>", "</title>", "<li>", "<td>", "<table>",
                "</table>", "&nbsp;", "&amp;", "&#20013;", "<html>", "<body>", "</body>", "<head>", "</head>",
                "<iframe>", "</iframe>", "<pre>", "</pre>", "\n", " ", "\u3000", "<a href='x'>", "</a>",
                "<!DOCTYPE html>", "<", ">", "&", "<noscript>", "<svg>", "</svg>", "<hr>", "<h1>", "</h1>"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_HTML_TOKENS) | st.text(alphabet="党建工作。,ab \n\t", min_size=1, max_size=6),
                max_size=30).map("".join))
def test_html_text_is_beautifulsoups_text(html: str) -> None:
    # html_to_text walks lxml's tree itself for speed; BeautifulSoup over the same parser is
    # the reference. Whitespace at the edges may differ; the normalised lines may not.
    import warnings

    from bs4 import BeautifulSoup

    from djmine.io import _BLOCK_TAGS, _HIDDEN_TAGS
    from djmine.normalize import normalize_text

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        soup = BeautifulSoup(html, "lxml")
    for tag in soup(list(_HIDDEN_TAGS)):
        tag.decompose()
    for tag in soup.find_all(list(_BLOCK_TAGS)):
        tag.insert_before("\n")
        tag.insert_after("\n")

    def lines(text: str) -> list[str]:
        return [line for line in normalize_text(text).split("\n") if line]

    assert lines(html_to_text(html)) == lines(soup.get_text())


def test_html_with_an_xml_declaration_is_read_quietly(recwarn: pytest.WarningsRecorder) -> None:
    assert html_to_text("<?xml version='1.0' encoding='utf-8'?><html><body><p>正文。</p></body></html>") == "正文。"
    assert html_to_text("  <!-- only a comment -->  ") == ""
    assert not recwarn.list


@given(st.text(alphabet=st.characters(max_codepoint=0x7f) | st.sampled_from("党建。"), max_size=300))
def test_control_ratio_counts_c0_controls_but_whitespace(text: str) -> None:
    from djmine.io import _control_ratio

    sample = text[:20000]
    expected = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f\v") / max(1, len(sample))
    assert _control_ratio(text) == expected


def test_html_with_control_characters_is_read() -> None:
    # lxml refuses such text in its tree; a Word line break (\x0b) is common in pasted pages.
    text = html_to_text("<p>一、加强思想建设。\x0b二、加强组织建设。</p><div>尾\x0c巴</div>")
    assert "一、加强思想建设。\x0b二、加强组织建设。" in text and "尾\x0c巴" in text


def test_html_text_after_the_page_end_is_kept() -> None:
    assert html_to_text("<html><body><p>正文一</p></body></html>\n<p>二、存在的问题</p>").split("\n")[-1] == "二、存在的问题"
    two_pages = ("<!DOCTYPE html><html><head><title>t1</title></head><body><p>第一篇</p></body></html>\n"
                 "<!DOCTYPE html><html><head><title>t2</title></head><body><p>第二篇</p></body></html>")
    assert [line for line in html_to_text(two_pages).split("\n") if line] == ["t1", "第一篇", "t2", "第二篇"]


def test_html_with_a_huge_text_node_is_read() -> None:
    body = "党建工作。" * 2_500_000  # 12.5M characters in one text node
    assert len(html_to_text(f"<html><body><pre>{body}</pre></body></html>")) == len(body)


def test_an_encoding_hint_skips_detection_but_not_the_binary_checks() -> None:
    text = "医院党委认真落实三会一课制度。" * 20
    assert decode_bytes(text.encode("gb18030"), hint="gb18030") == (text, "gb18030")
    # the file became an image since it was read: still refused
    assert "binary" in decode_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)), hint="gb18030")


def test_read_source_reuses_a_known_encoding_only_for_the_same_bytes(tmp_path: Path) -> None:
    import hashlib

    text = "醫院黨委認真落實三會一課制度。" * 20
    (tmp_path / "a.txt").write_bytes(text.encode("big5"))
    first = read_source(tmp_path / "a.txt")
    assert isinstance(first, SourceFile)
    # a wrong encoding given for other bytes is ignored: the file is detected afresh
    wrong = (hashlib.sha256(b"other bytes").hexdigest(), "gb18030")
    again = read_source(tmp_path / "a.txt", known=wrong)
    assert isinstance(again, SourceFile) and (again.text, again.encoding) == (first.text, first.encoding)
    same = read_source(tmp_path / "a.txt", known=(first.sha256, first.encoding))
    assert isinstance(same, SourceFile) and same.text == text
