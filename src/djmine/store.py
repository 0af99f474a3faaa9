"""The embedded corpus store: Parquet files under one directory (``./.djmine`` by default).

Layout::

    .djmine/documents.parquet   one row per document (schema below, version in file metadata)
    .djmine/<name>.parquet      derived tables (e.g. token caches) written by later stages
    .djmine/.lock               held while a process writes

Every write goes to a temporary file in the same directory and is moved into place with
``os.replace``, so a crash or Ctrl-C leaves either the old or the new file, never half of one.
"""

from __future__ import annotations

import contextlib
import difflib
import functools
import itertools
import os
import tempfile
from array import array
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import (
    AmbiguousDocument,
    EmptyStore,
    SchemaMismatch,
    StoreError,
    StoreLocked,
    UnknownDocument,
)
from .models import Document

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

SCHEMA_VERSION = 1
SCHEMA_KEY = b"djmine_schema"
DOCUMENTS = "documents"
DEFAULT_STORE = ".djmine"
ROW_GROUP_BYTES = 8 * 2**20
STATISTICS_COLUMNS = ["id", "source", "part", "chars", "removed_chars", "encoding", "placeholders"]


def default_store_path() -> Path:
    """``$DJMINE_STORE`` if set, else ``./.djmine``."""
    return Path(os.environ.get("DJMINE_STORE") or DEFAULT_STORE)


@functools.lru_cache(maxsize=1)
def document_schema() -> pa.Schema:
    import pyarrow as pa

    removed = pa.struct(
        [("rule", pa.string()), ("line", pa.int64()), ("start", pa.int64()), ("end", pa.int64()), ("text", pa.string())]
    )
    fields = [
        ("id", pa.string()),
        ("source", pa.string()),
        ("part", pa.int64()),
        ("title", pa.string()),
        ("text", pa.string()),
        ("raw", pa.string()),
        ("chars", pa.int64()),
        ("removed_chars", pa.int64()),
        ("encoding", pa.string()),
        ("years", pa.list_(pa.int64())),
        ("placeholders", pa.int64()),
        ("sha256", pa.string()),
        ("removed", pa.list_(removed)),
        ("file_sha256", pa.string()),
        ("content_sha256", pa.string()),
    ]
    return pa.schema(fields, metadata={SCHEMA_KEY: str(SCHEMA_VERSION).encode()})


class Store:
    """A corpus on disk. Cheap to create; files are read lazily and cached."""

    def __init__(self, path: str | os.PathLike[str] | None = None):
        self.path = Path(path) if path is not None else default_store_path()
        self._documents: list[Document] | None = None

    # ----- reading -------------------------------------------------------------------------
    def table_path(self, name: str) -> Path:
        return self.path / f"{name}.parquet"

    def exists(self) -> bool:
        return self.table_path(DOCUMENTS).is_file()

    def documents(self) -> list[Document]:
        """All documents, in (source, part) order. Raises EmptyStore if nothing was ingested."""
        if self._documents is None:
            if not self.exists():
                raise EmptyStore(str(self.path))
            table = self._read_checked(self.table_path(DOCUMENTS))
            docs = [Document.from_record(r) for r in table.to_pylist()]
            self._documents = sorted(docs, key=_document_order)
        return self._documents

    def frame(self, columns: list[str] | None = None) -> pd.DataFrame:
        """The documents table as a DataFrame (optionally only some columns)."""
        if not self.exists():
            raise EmptyStore(str(self.path))
        return self._read_checked(self.table_path(DOCUMENTS), columns=columns).to_pandas()

    def _read_checked(self, path: Path, columns: list[str] | None = None) -> pa.Table:
        import pyarrow.parquet as pq

        try:
            meta = pq.read_schema(path).metadata or {}
        except Exception as exc:  # damaged file: say so instead of a pyarrow traceback
            raise StoreError(f"cannot read {path}: {exc}; run `djmine ingest --rebuild PATH`") from exc
        found = int(meta.get(SCHEMA_KEY, b"0"))
        if found != SCHEMA_VERSION:
            raise SchemaMismatch(str(self.path), found, SCHEMA_VERSION)
        # ParquetFile, not read_table: read_table imports pyarrow.dataset (and pandas), which
        # costs half a second on every command
        return pq.ParquetFile(path).read(columns=columns)

    def fingerprints(self) -> dict[str, tuple[str, str]]:
        """``{id: (source, content_sha256)}`` without loading any text (empty if no store)."""
        if not self.exists():
            return {}
        table = self._read_checked(self.table_path(DOCUMENTS), columns=["id", "source", "content_sha256"])
        return {i: (s, h) for i, s, h in zip(*(table[c].to_pylist() for c in table.column_names), strict=True)}

    def iter_batches(self, *, exclude_sources: set[str] = frozenset()) -> Iterator[pa.RecordBatch]:
        """Stored rows in batches, leaving out the documents of ``exclude_sources``."""
        import pyarrow as pa
        import pyarrow.compute as pc
        import pyarrow.parquet as pq

        if not self.exists():
            return
        self._read_checked(self.table_path(DOCUMENTS), columns=["id"])  # schema check
        excluded = _array(sorted(exclude_sources), pa.string())
        for batch in pq.ParquetFile(self.table_path(DOCUMENTS)).iter_batches(batch_size=1024):
            kept = batch.filter(pc.invert(pc.is_in(batch["source"], value_set=excluded)))
            if kept.num_rows:
                yield kept

    def read_table(self, name: str, columns: list[str] | None = None) -> pa.Table | None:
        """A derived table written with :meth:`write_table`, or None if absent."""
        import pyarrow.parquet as pq

        path = self.table_path(name)
        if not path.is_file():
            return None
        return pq.ParquetFile(path).read(columns=columns)  # not read_table: see _read_checked

    # ----- ID resolution (the one place IDs are interpreted) -------------------------------
    def resolve(self, query: str) -> list[Document]:
        """Documents named by ``query``.

        An exact ID gives that document; a unique prefix of a file stem gives all of its parts;
        ``PREFIX#N`` gives part N of the file whose stem starts with PREFIX.
        """
        return resolve_id(self.documents(), query)

    def resolve_many(self, queries: Iterable[str]) -> list[Document]:
        seen: dict[str, Document] = {}
        for query in queries:
            for doc in self.resolve(query):
                seen.setdefault(doc.id, doc)
        return list(seen.values())

    # ----- writing ------------------------------------------------------------------------
    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the store's write lock; raises StoreLocked at once if another process has it."""
        from filelock import FileLock, Timeout

        if self.path.exists() and not self.path.is_dir():
            raise StoreError(f"the store path {self.path} is a file, not a directory; "
                             "choose another with --store DIR")
        self.path.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(self.path / ".lock"), timeout=0)
        try:
            lock.acquire()
        except Timeout as exc:
            raise StoreLocked(str(self.path)) from exc
        try:
            yield
        finally:
            lock.release()

    def replace_documents(self, documents: Iterable[Document]) -> None:
        """Atomically replace the whole documents table (caller holds :meth:`lock`)."""
        import pyarrow as pa

        docs = sorted(documents, key=_document_order)
        self._write_atomic(DOCUMENTS, pa.Table.from_batches([documents_batch(docs)]))
        self._documents = docs

    @contextlib.contextmanager
    def document_writer(self) -> Iterator[DocumentWriter]:
        """Stream a new documents table (caller holds :meth:`lock`).

        Rows go to a temporary file; it replaces the table only when the caller calls
        ``commit()``. Leaving the block otherwise (an error, Ctrl-C) leaves the store as it was.
        """
        writer = DocumentWriter(self)
        try:
            yield writer
        finally:
            writer.close()
            self._documents = None

    def write_table(self, name: str, frame: pd.DataFrame) -> None:
        """Atomically write a derived table (caller holds :meth:`lock`)."""
        import pyarrow as pa

        table = pa.Table.from_pandas(frame, preserve_index=False)
        self._write_atomic(name, table)

    def _write_atomic(self, name: str, table: pa.Table) -> None:
        import pyarrow.parquet as pq

        self.path.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=self.path)
        try:
            with os.fdopen(fd, "wb") as handle:
                pq.write_table(table, handle, compression="zstd",
                               write_statistics=STATISTICS_COLUMNS if name == DOCUMENTS else True)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.table_path(name))
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise


class DocumentWriter:
    """Writes document batches to a temporary Parquet file; ``commit`` moves it into place."""

    def __init__(self, store: Store):
        import pyarrow.parquet as pq

        store.path.mkdir(parents=True, exist_ok=True)
        fd, self._tmp = tempfile.mkstemp(prefix=f".{DOCUMENTS}.", suffix=".tmp", dir=store.path)
        self._handle = os.fdopen(fd, "wb")
        # No min/max statistics for the long text columns: the writer keeps every row group's
        # statistics in memory until it closes, and nobody filters on a whole text.
        self._writer = pq.ParquetWriter(self._handle, document_schema(), compression="zstd",
                                        write_statistics=STATISTICS_COLUMNS)
        self._target = store.table_path(DOCUMENTS)
        self._pending: list[pa.RecordBatch] = []
        self._pending_bytes = 0
        self._done = False

    def write(self, documents: list[Document]) -> None:
        if documents:
            self.write_batch(documents_batch(documents))

    def write_batch(self, batch: pa.RecordBatch) -> None:
        """Queue a batch; batches are written together as row groups of ~ROW_GROUP_BYTES."""
        if not batch.schema.equals(document_schema(), check_metadata=False):
            batch = batch.cast(document_schema())
        self._pending.append(batch)
        self._pending_bytes += batch.nbytes
        if self._pending_bytes >= ROW_GROUP_BYTES:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa

        if self._pending:
            self._writer.write_table(pa.Table.from_batches(self._pending, schema=document_schema()))
        self._pending, self._pending_bytes = [], 0

    def commit(self) -> None:
        self._flush()
        self._writer.close()
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self._handle.close()
        os.replace(self._tmp, self._target)
        self._done = True

    def close(self) -> None:
        """Discard the temporary file unless committed."""
        if self._done:
            return
        with contextlib.suppress(Exception):
            self._writer.close()
        with contextlib.suppress(Exception):
            self._handle.close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self._tmp)
        self._done = True


def documents_batch(documents: list[Document]) -> pa.RecordBatch:
    """Documents as one Arrow batch in the store's schema (built in ingest workers).

    Built column by column from buffers: one dict per document (``from_pylist``) took a fifth
    of the whole ingest, and ``pa.array`` imports pandas (+45 MB, 0.2 s) to ask whether a list
    is a pandas object.
    """
    import pyarrow as pa

    schema = document_schema()
    spans = [span for d in documents for span in d.removed]
    removed_type = schema.field("removed").type.value_type
    removed = pa.ListArray.from_arrays(
        _offsets([len(d.removed) for d in documents]),
        pa.StructArray.from_arrays(
            [_array([getattr(s, name) for s in spans], removed_type.field(name).type)
             for name in ("rule", "line", "start", "end", "text")],
            fields=list(removed_type),
        ),
    )
    years = pa.ListArray.from_arrays(
        _offsets([len(d.years) for d in documents]), _array([y for d in documents for y in d.years], pa.int64())
    )
    columns = {
        "id": [d.id for d in documents],
        "source": [d.source for d in documents],
        "part": [d.part for d in documents],
        "title": [d.title for d in documents],
        "text": [d.text for d in documents],
        "raw": [d.raw for d in documents],
        "chars": [d.chars for d in documents],
        "removed_chars": [d.removed_chars for d in documents],
        "encoding": [d.encoding for d in documents],
        "years": years,
        "placeholders": [d.placeholders for d in documents],
        "sha256": [d.sha256 for d in documents],
        "removed": removed,
        "file_sha256": [d.file_sha256 for d in documents],
        "content_sha256": [d.content_sha256 for d in documents],
    }
    arrays = [values if isinstance(values, pa.Array) else _array(values, schema.field(name).type)
              for name, values in columns.items()]
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


def _array(values: list, kind: pa.DataType) -> pa.Array:
    """A string or int64 Arrow array without nulls, from its buffers (see documents_batch)."""
    import pyarrow as pa

    if kind == pa.int64():
        return pa.Array.from_buffers(kind, len(values), [None, pa.py_buffer(array("q", values))])
    if kind != pa.string():
        raise TypeError(f"no buffer builder for {kind}")
    encoded = [value.encode("utf-8") for value in values]
    try:
        offsets = _offset_buffer(map(len, encoded))
    except OverflowError:  # pragma: no cover - over 2 GB of text in one batch
        return pa.array(values, kind)
    return pa.Array.from_buffers(kind, len(values), [None, pa.py_buffer(offsets), pa.py_buffer(b"".join(encoded))])


def _offsets(lengths: list[int]) -> pa.Array:
    """The int32 offsets of a list array whose entries have ``lengths``."""
    import pyarrow as pa

    offsets = _offset_buffer(lengths)
    return pa.Array.from_buffers(pa.int32(), len(offsets), [None, pa.py_buffer(offsets)])


def _offset_buffer(lengths: Iterable[int]) -> array:
    """0 and the running sums of ``lengths`` as int32 (OverflowError past 2**31)."""
    offsets = array("i", [0])
    offsets.extend(itertools.accumulate(lengths))
    return offsets


def _document_order(doc: Document) -> tuple[str, int]:
    return (doc.stem, doc.part)


def resolve_id(documents: list[Document], query: str) -> list[Document]:
    """Resolve an ID or prefix against ``documents`` (see :meth:`Store.resolve`)."""
    query = query.strip()
    by_id = {d.id: d for d in documents}
    if query in by_id:
        return [by_id[query]]
    stem_query, _, part = query.partition("#")
    stems = sorted({d.stem for d in documents})
    matching = [s for s in stems if s == stem_query] or [s for s in stems if s.startswith(stem_query)]
    if not stem_query or not matching:
        raise UnknownDocument(query, close_candidates(query, stems))
    if len(matching) > 1:
        raise AmbiguousDocument(query, matching)
    parts = [d for d in documents if d.stem == matching[0]]
    if part:
        chosen = [d for d in parts if str(d.part) == part or d.id.endswith("#" + part)]
        if not chosen:
            raise UnknownDocument(query, [d.id for d in parts])
        return chosen
    return parts


def close_candidates(query: str, names: list[str], limit: int = 3) -> list[str]:
    """The names most like ``query``: shared prefix first, then edit similarity."""
    stem = query.partition("#")[0]
    close = difflib.get_close_matches(stem, names, n=limit, cutoff=0.3)
    close += difflib.get_close_matches(stem, [n[: len(stem)] for n in names], n=limit, cutoff=0.5)
    out: list[str] = []
    for name in close:
        full = next((n for n in names if n.startswith(name)), name)
        if full not in out:
            out.append(full)
    return out[:limit]
