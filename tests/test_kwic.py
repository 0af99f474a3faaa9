"""Concordance: every occurrence in context, with offsets that slice the clean text exactly."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from typer.testing import CliRunner

from djmine.cli import app
from djmine.errors import UsageError
from djmine.kwic import Hit, kwic
from djmine.models import Document
from djmine.normalize import normalize_text
from djmine.store import Store

runner = CliRunner()


def make_doc(doc_id: str, text: str) -> Document:
    return Document(id=doc_id, source=f"{doc_id}.txt", part=1, title="", text=text, raw=text, encoding="utf-8")


def test_seed_hits_slice_the_text(seed_store: Store) -> None:
    docs = {d.id: d for d in seed_store.documents()}
    hits = kwic(docs.values(), "一岗双责", width=10)
    assert len(hits) == 4
    assert len({h.id for h in hits}) == 4
    for h in hits:
        text = docs[h.id].text
        assert text[h.start : h.end] == "一岗双责" == h.match
        assert h.left == text[max(0, h.start - 10) : h.start] and len(h.left) == 10
        assert h.right == text[h.end : h.end + 10]


def test_query_is_nfkc_normalised_like_the_texts() -> None:
    doc = make_doc("a", "(一)领导重视,组织健全")  # texts were NFKC-normalised at ingest
    hits = kwic([doc], "（一）领导重视，组织")  # full-width query
    assert [(h.start, h.end, h.match) for h in hits] == [(0, 10, "(一)领导重视,组织")]


def test_overlapping_occurrences_and_document_order() -> None:
    docs = [make_doc("a", "哈哈哈"), make_doc("b", "无"), make_doc("c", "哈哈")]
    assert [(h.id, h.start) for h in kwic(docs, "哈哈")] == [("a", 0), ("a", 1), ("c", 0)]


def test_context_at_the_edges_and_zero_width() -> None:
    (hit,) = kwic([make_doc("a", "三会一课制度")], "三会一课", width=5)
    assert hit == Hit("a", 0, 4, "", "三会一课", "制度")
    (bare,) = kwic([make_doc("a", "落实三会一课制度")], "三会一课", width=0)
    assert (bare.left, bare.right) == ("", "")
    assert bare.to_json() == {"id": "a", "start": 2, "end": 6, "left": "", "match": "三会一课", "right": ""}


@pytest.mark.parametrize("term", ["", "   "])
def test_empty_term_is_a_usage_error(term: str) -> None:
    with pytest.raises(UsageError, match="nothing to search for"):
        kwic([make_doc("a", "text")], term)


def test_negative_width_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="--width"):
        kwic([make_doc("a", "text")], "t", width=-1)


# Texts as ingest leaves them (normalised: single spaces, stripped lines), line breaks included.
ALPHABET = "党建三会一课两学一做抓促、。,\nab "
texts = st.text(alphabet=ALPHABET, max_size=200).map(normalize_text)


@settings(deadline=None)  # the first call loads OpenCC for the query's normalisation
@given(text=texts, term=st.text(alphabet="党建三会一课抓促、a", min_size=1, max_size=4),
       width=st.integers(min_value=0, max_value=30))
def test_offsets_slice_the_text_exactly(text: str, term: str, width: int) -> None:
    hits = kwic([make_doc("d", text)], term, width=width)
    expected = [m.start() for m in re.finditer(f"(?={re.escape(term)})", text)]
    assert [h.start for h in hits] == expected
    for h in hits:
        assert text[h.start : h.end] == h.match == term
        assert h.left == text[max(0, h.start - width) : h.start]
        assert h.right == text[h.end : h.end + width]
        assert text[h.start - len(h.left) : h.end + len(h.right)] == h.left + h.match + h.right


@settings(deadline=None)
@given(text=texts, data=st.data())
def test_every_substring_is_found_where_it_is(text: str, data: st.DataObject) -> None:
    if not text.strip():
        return
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    term = text[start:end]
    if term != term.strip():  # the query is stripped; leading/trailing spaces are not searchable
        return
    hits = kwic([make_doc("d", text)], term)
    assert start in [h.start for h in hits]
    assert all(text[h.start : h.end] == term for h in hits)


# ----- CLI ---------------------------------------------------------------------------------
def test_cli_kwic_lines_are_aligned(env_store: Store) -> None:
    result = runner.invoke(app, ["kwic", "一岗双责", "--width", "8"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 4
    # the match starts in the same terminal column on every line (CJK characters are 2 cells wide)
    assert len({cell_len(line[: line.index("【一岗双责】")]) for line in lines}) == 1
    assert lines[0].startswith("000_645f09018402f143#1")


def test_cli_kwic_json(env_store: Store) -> None:
    result = runner.invoke(app, ["kwic", "三会一课", "--json", "--width", "5"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["term"] == "三会一课" and data["total"] == len(data["hits"]) == 6
    docs = {d.id: d.text for d in env_store.documents()}
    for hit in data["hits"]:
        assert docs[hit["id"]][hit["start"] : hit["end"]] == "三会一课"
        assert len(hit["left"]) <= 5


def test_cli_kwic_limit_and_ids(env_store: Store) -> None:
    result = runner.invoke(app, ["kwic", "三会一课", "--limit", "2"])
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 2
    assert "4 more" in result.stderr
    only = runner.invoke(app, ["kwic", "三会一课", "002", "--json"])
    assert {h["id"] for h in json.loads(only.output)["hits"]} == {"002_24122ba48d98ca54"}


def test_cli_kwic_no_hits(env_store: Store) -> None:
    result = runner.invoke(app, ["kwic", "不存在的口号"])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "no occurrences of '不存在的口号'" in result.stderr


def test_cli_kwic_unknown_document(env_store: Store) -> None:
    result = runner.invoke(app, ["kwic", "三会一课", "999"])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: unknown document '999'")


def test_cli_kwic_empty_term(env_store: Store) -> None:
    result = runner.invoke(app, ["kwic", " "])
    assert result.exit_code == 2
    assert "nothing to search for" in result.stderr
