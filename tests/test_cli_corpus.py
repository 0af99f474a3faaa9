"""The corpus commands through Typer's CliRunner: ingest, list, show, export, errors, help."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from djmine.cli import app
from djmine.store import Store

runner = CliRunner()


def run(*args: str, store: Path | None = None):
    prefix = ["--store", str(store)] if store else []
    return runner.invoke(app, [*prefix, *args])


def test_ingest_json_shape(tmp_path: Path, seeds_dir: Path) -> None:
    result = run("ingest", str(seeds_dir), "--json", store=tmp_path / "s")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"added", "updated", "unchanged", "skipped", "documents"}
    assert (data["added"], data["updated"], data["unchanged"], data["skipped"]) == (9, 0, 0, [])
    assert {d["id"][:3] for d in data["documents"]} == {"000", "001", "002", "003", "004"}
    again = json.loads(run("ingest", str(seeds_dir), "--json", store=tmp_path / "s").stdout)
    assert (again["added"], again["unchanged"]) == (0, 9)


def test_ingest_partial_and_total_failure_exit_codes(tmp_path: Path, seeds_dir: Path) -> None:
    (tmp_path / "bin.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    ok = next(seeds_dir.glob("003_*.txt"))
    partial = run("ingest", str(ok), str(tmp_path / "bin.txt"), store=tmp_path / "s")
    assert partial.exit_code == 1
    assert "bin.txt: binary file" in partial.stderr and "Traceback" not in partial.output
    nothing = run("ingest", str(tmp_path / "nope"), store=tmp_path / "s2")
    assert nothing.exit_code == 2
    assert "nope: no such file or directory" in nothing.stderr


def test_list_table_json_csv(env_store: Store) -> None:
    table = run("list")
    assert table.exit_code == 0 and "9 documents" in table.stdout
    rows = json.loads(run("list", "--json").stdout)["documents"]
    assert len(rows) == 9
    assert set(rows[0]) >= {"id", "title", "chars", "removed_chars", "years", "placeholders", "earliest_year"}
    parsed = list(csv.DictReader(io.StringIO(run("list", "--csv").stdout)))
    assert [r["id"] for r in parsed] == [r["id"] for r in rows]
    assert run("list", "--json", "--csv").exit_code == 2


def test_show_text_raw_removed(env_store: Store) -> None:
    doc = env_store.resolve("004")[0]
    assert run("show", "004").stdout == doc.text + "\n"
    raw = run("show", "004", "--raw").stdout
    assert "，" in raw and raw.rstrip("\n") == doc.raw.rstrip("\n")  # as read: full-width commas
    removed = run("show", "001", "--removed")
    assert removed.exit_code == 0 and "zhangdahai" in removed.stdout
    whole = run("show", "000")
    assert whole.stdout.count("医院党建工作总结范文(") >= 5


def test_unknown_and_ambiguous_ids(env_store: Store) -> None:
    unknown = run("show", "0O4")
    assert unknown.exit_code == 2
    assert "unknown document '0O4'" in unknown.stderr and "004_e0a56b618b8c2f77" in unknown.stderr
    ambiguous = run("show", "00")
    assert ambiguous.exit_code == 2 and "ambiguous" in ambiguous.stderr
    assert "Traceback" not in unknown.output + ambiguous.output


def test_missing_store_is_a_clear_error(tmp_path: Path) -> None:
    result = run("list", store=tmp_path / "none")
    assert result.exit_code == 2 and "run `djmine ingest PATH` first" in result.stderr


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_export_formats(env_store: Store, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"corpus.{fmt}"
    result = run("export", "--format", fmt, "-o", str(out))
    assert result.exit_code == 0, result.output
    docs = {d.id: d for d in env_store.documents()}
    if fmt == "jsonl":
        records = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    elif fmt == "csv":
        records = list(csv.DictReader(out.open(encoding="utf-8")))
    else:
        import pandas as pd

        records = pd.read_parquet(out).to_dict("records")
    assert len(records) == 9
    for record in records:
        assert record["text"] == docs[record["id"]].text
        assert record["sha256"] == docs[record["id"]].sha256
        assert {"id", "source", "part", "title", "raw", "chars", "removed_chars", "encoding", "years",
                "placeholders"} <= set(record)


def test_export_jsonl_to_stdout_and_parquet_needs_file(env_store: Store) -> None:
    lines = run("export").stdout.splitlines()
    assert len(lines) == 9 and json.loads(lines[0])["id"].startswith("000")
    result = run("export", "--format", "parquet")
    assert result.exit_code == 2 and "-o FILE" in result.stderr


def test_version_and_help_for_every_command() -> None:
    assert run("--version").stdout.startswith("djmine ")
    import typer.main

    group = typer.main.get_command(app)
    for name in group.commands:  # type: ignore[attr-defined]
        result = run(name, "--help")
        assert result.exit_code == 0, name
        assert "Example" in result.stdout, f"{name} --help has no example"


def test_python_m_djmine_help_is_fast() -> None:
    import time

    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "djmine", "--help"], capture_output=True, text=True)
    assert result.returncode == 0 and "ingest" in result.stdout
    modules = subprocess.run(
        [sys.executable, "-c", "import sys, djmine.cli; print(' '.join(sys.modules))"],
        capture_output=True, text=True).stdout.split()
    assert not {"pandas", "jieba", "sklearn", "pyarrow"} & set(modules)  # heavy imports stay lazy
    assert time.perf_counter() - started < 10


def test_unwritable_output_and_store_paths_are_clear_errors(env_store: Store, tmp_path: Path) -> None:
    missing_dir = run("export", "--format", "csv", "-o", str(tmp_path / "no" / "such" / "f.csv"))
    assert missing_dir.exit_code == 2
    assert "f.csv: No such file or directory" in missing_dir.stderr and "Traceback" not in missing_dir.output
    a_file = tmp_path / "afile"
    a_file.write_text("x")
    seed = next(Path(env_store.documents()[0].source).parent.glob("004_*.txt"))
    store_is_file = run("ingest", str(seed), store=a_file)
    assert store_is_file.exit_code == 2 and "is a file, not a directory" in store_is_file.stderr
