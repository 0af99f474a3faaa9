"""Views of the stored corpus as rows and exports (the library side of list/export)."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from .errors import UsageError
from .store import Store

EXPORT_FIELDS = ["id", "source", "part", "title", "text", "raw", "chars", "removed_chars", "encoding",
                 "years", "placeholders", "sha256", "removed"]


def document_rows(store: Store) -> list[dict[str, Any]]:
    """One summary row per document, with the earliest plausible year from dating."""
    from .dating import earliest_years
    from .lexicon import load_lexicon

    documents = store.documents()
    earliest = earliest_years(documents, load_lexicon())
    return [
        {"id": d.id, "title": d.title, "chars": d.chars, "removed_chars": d.removed_chars,
         "years": list(d.years), "placeholders": d.placeholders, "earliest_year": earliest.get(d.id),
         "encoding": d.encoding, "source": d.source}
        for d in documents
    ]


def export(store: Store, fmt: str, output: Path | None = None, stream: TextIO | None = None) -> None:
    """Write every document with all its fields as jsonl, csv or parquet."""
    records = [_export_record(d.to_record()) for d in store.documents()]
    if fmt == "parquet":
        if output is None:
            raise UsageError("parquet is binary: give a file with -o FILE")
        import pandas as pd

        frame = pd.DataFrame(records, columns=EXPORT_FIELDS)
        frame.to_parquet(output, index=False)
        return
    if output is not None:
        with open(output, "w", encoding="utf-8", newline="") as handle:
            _write_text(records, fmt, handle)
    else:
        _write_text(records, fmt, stream or sys.stdout)


def _export_record(record: dict[str, Any]) -> dict[str, Any]:
    return {k: record[k] for k in EXPORT_FIELDS}


def _write_text(records: list[dict[str, Any]], fmt: str, handle: TextIO) -> None:
    if fmt == "jsonl":
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        return
    writer = csv.DictWriter(handle, fieldnames=EXPORT_FIELDS)
    writer.writeheader()
    for record in records:
        row = dict(record)
        row["years"] = " ".join(map(str, record["years"]))
        row["removed"] = json.dumps(record["removed"], ensure_ascii=False)
        writer.writerow(row)
