"""The store: round trips, atomic writes, the write lock, schema versions and ID resolution."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from djmine.errors import (
    AmbiguousDocument,
    SchemaMismatch,
    StoreError,
    StoreLocked,
    UnknownDocument,
)
from djmine.models import Document, RemovedSpan
from djmine.store import Store, resolve_id


def make_doc(doc_id: str, text: str = "党建工作。", part: int = 1, source: str | None = None) -> Document:
    stem = doc_id.split("#")[0]
    return Document(
        id=doc_id, source=source or f"/corpus/{stem}.txt", part=part, title=text[:10], text=text,
        raw="raw " + text, encoding="utf-8", years=(2016,), placeholders=1,
        removed=(RemovedSpan("url", 0, 0, 4, "http"),), file_sha256="f" * 64,
    )


def write(store: Store, docs: list[Document]) -> None:
    with store.lock():
        store.replace_documents(docs)


CORPUS = [make_doc("000_645f#1", part=1), make_doc("000_645f#2", part=2), make_doc("000_645f#3", part=3),
          make_doc("004_e0a5"), make_doc("001_5ca0"), make_doc("010_aaaa")]


def test_round_trip(tmp_path: Path) -> None:
    store = Store(tmp_path / "s")
    write(store, CORPUS)
    again = Store(tmp_path / "s").documents()
    assert sorted(again, key=lambda d: d.id) == sorted(CORPUS, key=lambda d: d.id)
    frame = Store(tmp_path / "s").frame(["id", "chars", "sha256"])
    assert list(frame.columns) == ["id", "chars", "sha256"]
    assert set(frame["sha256"]) == {d.sha256 for d in CORPUS}


def test_column_wise_batch_equals_the_records(seed_store: Store) -> None:
    # documents_batch builds columns directly for speed; it must hold exactly what the
    # per-document records (the export schema) say, including documents with no removed span.
    import pyarrow as pa

    from djmine.store import document_schema, documents_batch

    docs = seed_store.documents() + [dataclasses.replace(make_doc("none"), removed=())]
    expected = pa.RecordBatch.from_pylist([d.to_record() for d in docs], schema=document_schema())
    assert documents_batch(docs).equals(expected)
    assert documents_batch([]).num_rows == 0


@settings(max_examples=25, deadline=None)
@given(st.lists(st.text(min_size=0, max_size=200), min_size=1, max_size=5))
def test_round_trip_any_text(tmp_path_factory: pytest.TempPathFactory, texts: list[str]) -> None:
    store = Store(tmp_path_factory.mktemp("rt"))
    docs = [make_doc(f"d{i}", text=t) for i, t in enumerate(texts)]
    write(store, docs)
    assert [d.text for d in Store(store.path).documents()] == texts


def test_empty_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="run `djmine ingest PATH` first"):
        Store(tmp_path / "none").documents()


def test_interrupted_write_leaves_previous_corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pyarrow.parquet as pq

    store = Store(tmp_path / "s")
    write(store, CORPUS)
    before = store.table_path("documents").read_bytes()
    real_write = pq.write_table

    def write_then_interrupt(table, where, **kwargs):
        real_write(table.slice(0, 1), where, **kwargs)  # part of the data is on disk…
        raise KeyboardInterrupt  # …when the user presses Ctrl-C

    monkeypatch.setattr(pq, "write_table", write_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        write(store, [make_doc("new")])
    assert store.table_path("documents").read_bytes() == before
    assert [p.name for p in store.path.iterdir() if p.suffix == ".tmp"] == []
    assert {d.id for d in Store(store.path).documents()} == {d.id for d in CORPUS}


def test_killed_writer_leaves_previous_corpus(tmp_path: Path) -> None:
    """A process killed (SIGKILL) in the middle of writing cannot leave a half-written store."""
    store = Store(tmp_path / "s")
    write(store, CORPUS)
    before = store.table_path("documents").read_bytes()
    script = f"""
import time, pyarrow.parquet as pq
from djmine.store import Store
from djmine.models import Document
real = pq.write_table
def slow(table, where, **kw):
    real(table.slice(0, 1), where, **kw); where.flush(); print("writing", flush=True); time.sleep(30)
pq.write_table = slow
store = Store({str(store.path)!r})
docs = [Document(id=f"x{{i}}", source="s", part=1, title="t", text="文"*1000, raw="r", encoding="utf-8")
        for i in range(50)]
with store.lock():
    store.replace_documents(docs)
"""
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "writing"
    proc.kill()
    proc.wait()
    assert store.table_path("documents").read_bytes() == before
    assert len(Store(store.path).documents()) == len(CORPUS)


def test_second_writer_gets_a_clear_error(tmp_path: Path) -> None:
    store = Store(tmp_path / "s")
    write(store, CORPUS)
    holder = subprocess.Popen(
        [sys.executable, "-c",
         f"from djmine.store import Store\nimport time\nwith Store({str(store.path)!r}).lock():\n"
         "    print('locked', flush=True); time.sleep(30)"],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        started = time.monotonic()
        with pytest.raises(StoreLocked, match="another djmine process"), store.lock():
            pass
        assert time.monotonic() - started < 5  # fails at once instead of hanging
    finally:
        holder.kill()
        holder.wait()
    with store.lock():  # free again once the other process is gone
        pass


def test_old_schema_is_reported(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    store = Store(tmp_path / "s")
    store.path.mkdir(parents=True)
    old = pa.table({"id": ["a"], "text": ["x"]}).replace_schema_metadata({b"djmine_schema": b"0"})
    pq.write_table(old, store.table_path("documents"))
    with pytest.raises(SchemaMismatch, match="schema 0.*--rebuild"):
        store.documents()


def test_damaged_file_is_reported(tmp_path: Path) -> None:
    store = Store(tmp_path / "s")
    store.path.mkdir(parents=True)
    store.table_path("documents").write_bytes(b"not parquet at all")
    with pytest.raises(StoreError, match="cannot read"):
        store.documents()


@pytest.mark.parametrize(
    ("query", "ids"),
    [
        ("000", ["000_645f#1", "000_645f#2", "000_645f#3"]),
        ("000_645f", ["000_645f#1", "000_645f#2", "000_645f#3"]),
        ("000#3", ["000_645f#3"]),
        ("000_645f#2", ["000_645f#2"]),
        ("004", ["004_e0a5"]),
        ("01", ["010_aaaa"]),
        (" 004_e0a5 ", ["004_e0a5"]),
    ],
)
def test_resolve(query: str, ids: list[str]) -> None:
    assert [d.id for d in resolve_id(CORPUS, query)] == ids


@pytest.mark.parametrize(
    ("query", "error", "named"),
    [
        ("0O4", UnknownDocument, "004_e0a5"),
        ("999", UnknownDocument, ""),
        ("00", AmbiguousDocument, "000_645f, 001_5ca0, 004_e0a5"),
        ("000#9", UnknownDocument, "000_645f#1"),
        ("", UnknownDocument, ""),
    ],
)
def test_resolve_errors_name_candidates(query: str, error: type, named: str) -> None:
    with pytest.raises(error) as info:
        resolve_id(CORPUS, query)
    assert named in str(info.value)
    assert repr(query.strip()) in str(info.value) or f"'{query}'" in str(info.value)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=8), st.integers(0, 10**6), st.integers(0, 999), st.text(max_size=30))
def test_removed_span_repr_is_the_dataclass_repr(rule: str, line: int, start: int, text: str) -> None:
    # content_sha256 hashes span reprs: the hand-written repr must equal the generated one, or
    # every stored document would look changed on the next ingest.
    generated = dataclasses.make_dataclass("RemovedSpan", ["rule", "line", "start", "end", "text"], frozen=True)
    span = RemovedSpan(rule, line, start, start + len(text), text)
    assert repr(span) == repr(generated(rule, line, start, start + len(text), text))
