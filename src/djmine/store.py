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
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import AmbiguousDocument, EmptyStore, SchemaMismatch, StoreError, StoreLocked, UnknownDocument
from .models import Document

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

SCHEMA_VERSION = 1
SCHEMA_KEY = b"djmine_schema"
DOCUMENTS = "documents"
DEFAULT_STORE = ".djmine"


def default_store_path() -> Path:
    """``$DJMINE_STORE`` if set, else ``./.djmine``."""
    return Path(os.environ.get("DJMINE_STORE") or DEFAULT_STORE)


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
            self._documents = [Document.from_record(r) for r in table.to_pylist()]
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
        return pq.read_table(path, columns=columns)

    def read_table(self, name: str) -> pd.DataFrame | None:
        """A derived table written with :meth:`write_table`, or None if absent."""
        import pyarrow.parquet as pq

        path = self.table_path(name)
        if not path.is_file():
            return None
        return pq.read_table(path).to_pandas()

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
        table = pa.Table.from_pylist([d.to_record() for d in docs], schema=document_schema())
        self._write_atomic(DOCUMENTS, table)
        self._documents = docs

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
                pq.write_table(table, handle, compression="zstd")
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.table_path(name))
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise


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
