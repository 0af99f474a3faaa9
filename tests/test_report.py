"""The HTML page of a comparison, parsed back and checked."""

from __future__ import annotations

import re
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path

import pytest
from reuse_fixtures import make_doc, seed_documents

from djmine.errors import UsageError
from djmine.report import render_html
from djmine.reuse import CompareResult, compare
from djmine.store import Store


class PageParser(HTMLParser):
    """Collects, per side: each document's text, the text of each passage's marks, and anchors."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict[str, str]]] = []
        self.doc_texts: dict[str, list[str]] = defaultdict(list)  # "a-doc1" -> text pieces
        self.marked: dict[tuple[str, int], list[str]] = defaultdict(list)  # (side, n) -> pieces
        self.anchors: dict[str, str] = {}  # id -> href
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        self.tags.append((tag, attributes))
        if tag == "a" and "pa" in attributes.get("class", "").split():
            self.anchors[attributes["id"]] = attributes["href"]
        self.stack.append((tag, attributes))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        doc = next((a["id"] for t, a in self.stack if t == "section" and "doc" in a.get("class", "")), None)
        in_text = any(t == "div" and a.get("class") == "text" for t, a in self.stack)
        in_anchor = any(t == "a" and a.get("class") == "pa" for t, a in self.stack)
        if not (doc and in_text) or in_anchor:
            return
        self.doc_texts[doc].append(data)
        mark = next((a for t, a in reversed(self.stack) if t == "mark"), None)
        if mark is not None:
            for n in mark["data-p"].split():
                self.marked[(doc[0], int(n))].append(data)


def parse(page: str) -> PageParser:
    parser = PageParser()
    parser.feed(page)
    parser.close()
    return parser


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    docs = seed_documents()
    docs.append(make_doc("999_hostile", '<script>alert("x")</script> & <b>' + docs[-1].text[200:600]))  # 004
    store = Store(tmp_path_factory.mktemp("report") / ".djmine")
    with store.lock():
        store.replace_documents(docs)
    return store


def page_for(store: Store, a: str, b: str) -> tuple[str, CompareResult]:
    result = compare(store, a, b)
    return render_html(result, store.resolve_many([a, b])), result


def test_both_documents_are_shown_verbatim(store: Store) -> None:
    page, result = page_for(store, "000", "004")
    parsed = parse(page)
    shown = {doc_id: "".join(pieces) for doc_id, pieces in parsed.doc_texts.items()}
    expected = {f"a-doc{i}": store.resolve(d)[0].text for i, d in enumerate(result.a_ids, start=1)}
    expected |= {f"b-doc{i}": store.resolve(d)[0].text for i, d in enumerate(result.b_ids, start=1)}
    assert shown == expected  # every part of both sides, text unchanged by the markup


def test_each_passage_is_highlighted_on_both_sides(store: Store) -> None:
    page, result = page_for(store, "000", "004")
    parsed = parse(page)
    passages = result.passages
    assert len(passages) == 4
    for side in ("a", "b"):
        assert {n for s, n in parsed.marked if s == side} == set(range(1, len(passages) + 1))
    for n, (_, passage) in enumerate(passages, start=1):
        assert "".join(parsed.marked[("a", n)]) == passage.a_text
        assert "".join(parsed.marked[("b", n)]) == passage.b_text


def test_anchors_link_both_ways(store: Store) -> None:
    page, result = page_for(store, "000", "004")
    anchors = parse(page).anchors
    assert len(anchors) == 2 * len(result.passages)
    for n in range(1, len(result.passages) + 1):
        assert anchors[f"a-p{n}"] == f"#b-p{n}" and anchors[f"b-p{n}"] == f"#a-p{n}"
    ids = set(re.findall(r'\bid="([^"]+)"', page))
    assert len(ids) == len(re.findall(r'\bid="', page))  # ids are unique
    assert {h[1:] for h in re.findall(r'href="(#[^"]+)"', page)} <= ids  # no dangling links


def test_page_is_self_contained(store: Store) -> None:
    page, _ = page_for(store, "000", "004")
    tags = {tag for tag, _ in parse(page).tags}
    assert not tags & {"script", "link", "img", "iframe", "object", "embed"}
    assert not re.search(r"https?:|//[a-z]|url\(|@import", page, re.IGNORECASE)
    assert '<meta charset="utf-8">' in page


def test_text_is_escaped(store: Store) -> None:
    page, result = page_for(store, "999", "004")
    assert "<script>" not in page and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;" in page
    parsed = parse(page)
    assert "".join(parsed.doc_texts["a-doc1"]) == store.resolve("999")[0].text
    assert len(result.passages) == 1


def test_edits_are_marked_inside_passages(store: Store) -> None:
    page, _ = page_for(store, "000#5", "004")
    assert '<span class="del">支部</span>' in page and '<span class="ins">总支</span>' in page
    assert "<h2>Passages</h2>" in page


def test_nothing_shared_still_renders_both_documents(store: Store) -> None:
    page, result = page_for(store, "002", "003")
    assert result.pairs == ()
    parsed = parse(page)
    assert set(parsed.doc_texts) == {"a-doc1", "b-doc1"} and not parsed.anchors
    assert "No shared passages ≥ 50 characters." in page


def test_missing_documents_are_a_usage_error(store: Store) -> None:
    result = compare(store, "000", "004")
    with pytest.raises(UsageError, match="missing 004_e0a56b618b8c2f77"):
        render_html(result, store.resolve("000"))


def test_writes_a_page_a_browser_can_open(store: Store, tmp_path: Path) -> None:
    page, _ = page_for(store, "000", "004")
    path = tmp_path / "r.html"
    path.write_text(page, encoding="utf-8")
    assert path.read_text(encoding="utf-8").endswith("</body></html>\n")
