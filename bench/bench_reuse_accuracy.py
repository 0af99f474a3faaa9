"""Accuracy of corpus-wide reuse detection against planted ground truth, and what it finds in
the seed articles.

Recall: planted passages of ≥ 50 characters of which at least half (on both sides) lies inside
reported passages of the same pair. Pair precision: reported pairs that share a planted
passage. Char precision: reported characters that lie inside planted passages of that pair.
All at default settings (min_chars=50, min_identity=0.8).

Usage::

    .venv/bin/python bench/bench_reuse_accuracy.py                  # 1,000 documents, 3 seeds
    .venv/bin/python bench/bench_reuse_accuracy.py --docs 2000 --seeds 1
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from gen_reuse import SEEDS, generate_corpus, score  # noqa: E402


def generated(n_docs: int, seeds: list[int]) -> None:
    from djmine.reuse.corpus import corpus_reuse

    print(f"{'corpus':>14} {'time':>6} {'cands':>7} {'pairs':>6} {'planted':>7} {'recall':>7} {'charR':>6} "
          f"{'pairR':>6} {'pairP':>6} {'charP':>6} {'families':>9} {'popular':>7}")
    for seed in seeds:
        corpus = generate_corpus(n_docs, seed)
        start = time.perf_counter()
        result = corpus_reuse(corpus.documents())
        took = time.perf_counter() - start
        s = score(corpus, result)
        print(f"{n_docs:>6} seed {seed:>3} {took:>5.1f}s {result.candidates:>7} {s.reported_pairs:>6} {s.planted:>7} "
              f"{s.recall:>7.4f} {s.char_recall:>6.3f} {s.pair_recall:>6.3f} {s.pair_precision:>6.3f} "
              f"{s.char_precision:>6.3f} {s.families_recovered:>4}/{s.families:<4} {len(result.popular_passages):>7}")
        texts = dict(corpus.docs)
        for key in s.false_pairs[:2]:
            pair = next(p for p in result.pairs if {p.a, p.b} == set(key))
            for x in pair.passages[:1]:
                print(f"    unplanted pair {key}: identity {x.identity}\n      A: {x.a_text}\n      B: {x.b_text}")
        for p in s.missed[:2]:
            print(f"    missed {p.origin} {p.a}–{p.b} ({p.chars} chars)\n      A: {texts[p.a][p.a_start:p.a_end]}"
                  f"\n      B: {texts[p.b][p.b_start:p.b_end]}")


def seeds_report() -> None:
    from rich.console import Console

    from djmine.cli.compare_all import render_corpus
    from djmine.pipeline import ingest
    from djmine.reuse.corpus import corpus_reuse
    from djmine.store import Store

    with tempfile.TemporaryDirectory() as folder:
        store = Store(folder)
        ingest([SEEDS], store)
        documents = store.documents()
        result = corpus_reuse(documents)
    print(f"\nSeeds: {len(documents)} documents from {SEEDS}")
    render_corpus(Console(width=150), result, top=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    args = parser.parse_args()
    generated(args.docs, args.seeds)
    seeds_report()


if __name__ == "__main__":
    main()
