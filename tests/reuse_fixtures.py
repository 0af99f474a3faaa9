"""Seed documents built by hand (normalised + slicing 000), independent of the cleaning and
splitting heuristics."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from djmine.models import Document
from djmine.normalize import normalize_text

SEEDS = Path(__file__).resolve().parents[1] / "data" / "seeds"
BENCH = Path(__file__).resolve().parents[1] / "bench"


def load_generator() -> ModuleType:
    """The planted-reuse generator ``bench/gen_reuse.py``, loaded once as module ``gen_reuse``."""
    if "gen_reuse" in sys.modules:
        return sys.modules["gen_reuse"]
    spec = importlib.util.spec_from_file_location("gen_reuse", BENCH / "gen_reuse.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["gen_reuse"] = module
    spec.loader.exec_module(module)
    return module


def seed_text(prefix: str) -> str:
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    return normalize_text(path.read_text(encoding="utf-8")).strip()


def make_doc(doc_id: str, text: str, part: int = 1) -> Document:
    return Document(id=doc_id, source=f"{doc_id}.txt", part=part, title=text.split("\n", 1)[0],
                    text=text, raw=text, encoding="utf-8")


def part_of_000(n: int) -> str:
    """The n-th 范文 of seed 000, from its "(n)" heading to the next one."""
    text = seed_text("000")
    marks = ["(一)", "(二)", "(三)", "(四)", "(五)"]
    start = text.index("医院党建工作总结范文" + marks[n - 1])
    end = text.index("医院党建工作总结范文" + marks[n]) if n < 5 else len(text)
    return text[start:end].strip()


def seed_documents() -> list[Document]:
    """000 as five parts, 002, 003, 004 (single part), with ingest-like IDs."""
    docs = [make_doc(f"000_645f09018402f143#{n}", part_of_000(n), n) for n in range(1, 6)]
    for stem in ("002_24122ba48d98ca54", "003_c94bebca045e116f", "004_e0a56b618b8c2f77"):
        docs.append(make_doc(stem, seed_text(stem[:3])))
    return docs
