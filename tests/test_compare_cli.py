"""`djmine compare` through CliRunner, on the ingested seeds (conftest's env_store)."""

from __future__ import annotations

import csv
import io
import json
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from djmine.cli import app
from djmine.reuse import compare
from djmine.reuse.records import PAIR_FIELDS
from djmine.store import Store

runner = CliRunner()
P3, P5, D4 = "000_645f09018402f143#3", "000_645f09018402f143#5", "004_e0a56b618b8c2f77"
PASSAGE_KEYS = {"a_start", "a_end", "b_start", "b_end", "identity", "a_text", "b_text", "formula_score"}


def run(*args: str):
    return runner.invoke(app, list(args))


def test_compare_000_004_terminal_view(env_store: Store) -> None:
    result = run("compare", "000", "004")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "2 of 5 part pairs share text" in out
    assert "passage 1 · identity" in out and "[166:2065]" in out.replace("\n", "")
    assert "000_645f09018402f143#1" not in out  # parts without reuse are not listed


def test_compare_000_004_json(env_store: Store) -> None:
    result = run("compare", "000", "004", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    pairs = data["pairs"]
    assert [(p["a"], p["b"]) for p in pairs] == [(P3, D4), (P5, D4)]
    for pair in pairs:
        assert set(pair) == {"a", "b", "shared_chars", "coverage_a", "coverage_b", "net_chars", "coverage_a_raw",
                             "coverage_b_raw", "passages", "formulae"}
        assert 0 <= pair["coverage_a"] <= 1 and 0 <= pair["coverage_b"] <= 1
        text_a, text_b = env_store.resolve(pair["a"])[0].text, env_store.resolve(pair["b"])[0].text
        for p in pair["passages"]:
            assert set(p) == PASSAGE_KEYS
            assert p["a_text"] == text_a[p["a_start"] : p["a_end"]]
            assert p["b_text"] == text_b[p["b_start"] : p["b_end"]]
            assert p["identity"] >= 0.8 and min(len(p["a_text"]), len(p["b_text"])) >= 50
    p3, p5 = pairs
    assert p3["coverage_a"] > 0.95 and p3["coverage_b"] > 0.8  # 000#3 is 004, less one paragraph
    assert len(p5["passages"]) >= 2 and all(p["identity"] < 1 for p in p5["passages"])
    assert data["compared"] == 5 and data["a_ids"][0].startswith("000")


def test_offsets_match_show(env_store: Store) -> None:
    data = json.loads(run("compare", "000#3", "004", "--json").stdout)
    shown = run("show", "000#3").stdout[:-1]  # show prints the clean text and a newline
    p = data["pairs"][0]["passages"][0]
    assert shown[p["a_start"] : p["a_end"]] == p["a_text"]


def test_compare_csv(env_store: Store) -> None:
    result = run("compare", "000", "004", "--csv", "--min-chars", "100")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == PAIR_FIELDS
    assert [r["a"] for r in rows] == [P3, P5] and int(rows[0]["longest"]) > 1500


def test_nothing_shared_is_exit_0(env_store: Store) -> None:
    result = run("compare", "002", "003")
    assert result.exit_code == 0
    assert result.stdout.startswith("no shared passages ≥ 50 chars between 002 and 003 (1 part pair compared)")
    assert json.loads(run("compare", "002", "003", "--json").stdout)["pairs"] == []
    high = run("compare", "000", "004", "--min-chars", "5000")
    assert high.exit_code == 0 and "no shared passages ≥ 5000 chars" in high.stdout


def test_min_identity_option(env_store: Store) -> None:
    loose = json.loads(run("compare", "000", "004", "--json").stdout)["pairs"]
    strict = json.loads(run("compare", "000", "004", "--json", "--min-identity", "0.99").stdout)["pairs"]
    assert all(p["identity"] >= 0.99 for pair in strict for p in pair["passages"])
    # 000#5's passages are edited copies: at 0.99 only their verbatim stretches remain.
    assert strict[1]["a"] == P5 and strict[1]["shared_chars"] < loose[1]["shared_chars"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["compare", "0O4", "000"], "unknown document '0O4'"),
        (["compare", "00", "004"], "ambiguous document '00'"),
        (["compare", "000"], "give two documents"),
        (["compare", "000", "004", "--all"], "--all compares the whole corpus"),
        (["compare", "000", "004", "--json", "--csv"], "use only one of --json, --csv"),
        (["compare", "000", "004", "--min-identity", "1.5"], "--min-identity"),
        (["compare", "000", "004", "--min-chars", "0"], "--min-chars"),
    ],
)
def test_usage_errors_exit_2(env_store: Store, args: list[str], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_html_option_writes_the_page(env_store: Store, tmp_path: Path) -> None:
    path = tmp_path / "reuse.html"
    result = run("compare", "000", "004", "--html", str(path), "--json")
    assert result.exit_code == 0
    json.loads(result.stdout)  # stdout stays pure JSON; the note goes to stderr
    assert result.stderr == f"wrote {path} (4 passages)\n"
    page = path.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "上海武警" in page


def test_html_to_an_unwritable_path_is_a_clear_error(env_store: Store, tmp_path: Path) -> None:
    result = run("compare", "000", "004", "--html", str(tmp_path / "no" / "dir" / "x.html"))
    assert result.exit_code == 2 and "cannot write" in result.stderr


def test_all_on_the_seeds_streams_json_and_ends_with_a_summary(env_store: Store) -> None:
    shown = run("compare", "--all", "--top", "5", "--formulae")
    assert shown.exit_code == 0, shown.output
    flat = "".join(shown.stdout.split())
    assert "Toppairs" in flat and "Formulae:" in flat and "Leastoriginal" in flat
    assert shown.stderr.strip().splitlines()[-1].startswith("9 documents, ")
    data = json.loads(run("compare", "--all", "--json").stdout)
    assert {(p["a"][:3] + p["a"][20:], p["b"][:3]) for p in data["pairs"]} >= {("000#3", "004"), ("000#5", "004")}
    assert set(data["formulae"]) == {"texts", "passages"}
    strict = json.loads(run("compare", "--all", "--json", "--min-chars", "400").stdout)
    assert len(strict["pairs"]) < len(data["pairs"]) and strict["min_chars"] == 400


def test_help_has_an_example() -> None:
    result = run("compare", "--help")
    assert result.exit_code == 0 and "Example: djmine compare 000 004" in result.stdout


def test_compare_answers_in_under_a_second(seed_store: Store) -> None:
    store = Store(seed_store.path)  # fresh: include reading the store
    start = time.perf_counter()
    result = compare(store, "000", "004")
    assert time.perf_counter() - start < 1.0
    assert [pair.a for pair in result.pairs] == [P3, P5]
