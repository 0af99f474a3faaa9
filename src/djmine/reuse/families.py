"""Reused passages across a corpus, and families of documents built from one template.

A **reused passage** is one stretch of text found in several documents: the two sides of every
pair passage are one group, and so are occurrences in one document that cover nearly the same
span (each ≥ ``SAME_SPAN`` of the other). Nearly the same, not merely overlapping: a short
document whose lines each match another document's header must not glue those documents
together.

A **family** is a set of documents that share the same template passages: reused passages with
(nearly) the same members are one family — never documents linked through a chain of pairs.
A family's template must cover ``min_coverage`` of its members on average. For each member the
family shows the slot values it filled in: the text where its copy differs from the template.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .align import text_diff
from .records import PairReport
from .unionfind import UnionFind

SAME_SPAN = 0.8  # occurrences in one document covering ≥ 80 % of each other are one occurrence
SAME_MEMBERS = 0.5  # passages whose member sets have Jaccard ≥ 0.5 are one family's template
MAX_SLOTS = 12  # slot values kept per member


@dataclass(frozen=True)
class Occurrence:
    """Where a reused passage sits in one document (offsets into ``Document.text``)."""

    id: str
    start: int
    end: int

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class ReusedPassage:
    """One stretch of text found in several documents; ``text`` is its first occurrence."""

    text: str
    occurrences: tuple[Occurrence, ...]

    @property
    def documents(self) -> int:
        return len({o.id for o in self.occurrences})

    @property
    def chars(self) -> int:
        return len(self.text)

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "documents": self.documents,
            "occurrences": [o.to_json() for o in self.occurrences],
        }


@dataclass(frozen=True)
class Family:
    """Documents that share template passages; ``slots[id]`` are the values that member filled
    into the template (the text of its copy where it differs from ``passages``' text)."""

    members: tuple[str, ...]
    passages: tuple[ReusedPassage, ...]
    slots: dict[str, tuple[str, ...]]

    @property
    def template(self) -> str:
        """The template text: the family's passages, in the order of the first member."""
        return "\n…\n".join(p.text for p in self.passages)

    def to_json(self) -> dict[str, Any]:
        return {
            "members": list(self.members),
            "template": self.template,
            "slots": {m: list(self.slots.get(m, ())) for m in self.members},
            "passages": [p.to_json() for p in self.passages],
        }


def reused_passages(pairs: Sequence[PairReport], texts: dict[str, str]) -> list[ReusedPassage]:
    """Group the passages of ``pairs`` across documents (see the module docstring); most
    documents first."""
    nodes: list[tuple[str, int, int]] = []
    for pair in pairs:
        for p in pair.passages:
            nodes += [(pair.a, p.a_start, p.a_end), (pair.b, p.b_start, p.b_end)]
    groups = UnionFind(len(nodes))
    for n in range(0, len(nodes), 2):
        groups.union(n, n + 1)
    by_doc: dict[str, list[int]] = defaultdict(list)
    for n, (doc_id, _, _) in enumerate(nodes):
        by_doc[doc_id].append(n)
    for members in by_doc.values():
        members.sort(key=lambda n: nodes[n][1])
        active: list[int] = []
        for n in members:
            _, start, end = nodes[n]
            active = [m for m in active if nodes[m][2] > start]
            for m in active:
                overlap = min(end, nodes[m][2]) - start
                if overlap >= SAME_SPAN * max(end - start, nodes[m][2] - nodes[m][1]):
                    groups.union(n, m)
            active.append(n)
    clusters: dict[int, dict[str, list[int]]] = defaultdict(dict)
    for n, (doc_id, start, end) in enumerate(nodes):
        extent = clusters[groups.find(n)].setdefault(doc_id, [start, end])
        extent[0], extent[1] = min(extent[0], start), max(extent[1], end)
    rank = {doc_id: i for i, doc_id in enumerate(texts)}
    passages = []
    for extents in clusters.values():
        occurrences = tuple(sorted((Occurrence(d, s, e) for d, (s, e) in extents.items()), key=lambda o: rank[o.id]))
        first = occurrences[0]
        passages.append(ReusedPassage(texts[first.id][first.start : first.end], occurrences))
    passages.sort(key=lambda p: (-p.documents, -p.chars, rank[p.occurrences[0].id], p.occurrences[0].start))
    return passages


def families(passages: Sequence[ReusedPassage], texts: dict[str, str], min_coverage: float) -> list[Family]:
    """Families of documents sharing the same template passages (see the module docstring)."""
    member_sets = [frozenset(o.id for o in p.occurrences) for p in passages]
    groups = UnionFind(len(passages))
    by_member: dict[str, list[int]] = defaultdict(list)
    for n, members in enumerate(member_sets):
        for doc_id in members:
            by_member[doc_id].append(n)
    for n, members in enumerate(member_sets):
        for doc_id in members:
            for m in by_member[doc_id]:
                if m > n and _jaccard(members, member_sets[m]) >= SAME_MEMBERS:
                    groups.union(n, m)
    clustered: dict[int, list[int]] = defaultdict(list)
    for n in range(len(passages)):
        clustered[groups.find(n)].append(n)
    rank = {doc_id: i for i, doc_id in enumerate(texts)}
    out = []
    for indexes in clustered.values():
        members = sorted(set().union(*(member_sets[n] for n in indexes)), key=rank.__getitem__)
        template = [passages[n] for n in indexes]
        covered = sum(o.end - o.start for p in template for o in p.occurrences)
        if covered < min_coverage * sum(len(texts[m]) for m in members):
            continue  # an odd paragraph shared, not a template
        template.sort(key=lambda p: (rank[p.occurrences[0].id], p.occurrences[0].start))
        out.append(Family(tuple(members), tuple(template), _slots(template, texts)))
    out.sort(key=lambda f: (-len(f.members), rank[f.members[0]]))
    return out


def _jaccard(x: frozenset[str], y: frozenset[str]) -> float:
    return len(x & y) / len(x | y)


def _slots(template: Sequence[ReusedPassage], texts: dict[str, str]) -> dict[str, tuple[str, ...]]:
    """Per member, the text of its copies where they differ from the template's text."""
    slots: dict[str, list[str]] = defaultdict(list)
    for passage in template:
        for occ in passage.occurrences[1:]:
            copy = texts[occ.id][occ.start : occ.end]
            for op, ours, theirs in text_diff(passage.text, copy):
                value = theirs.strip()
                if op != "equal" and value and value != ours.strip() and len(slots[occ.id]) < MAX_SLOTS:
                    slots[occ.id].append(value)
        first = passage.occurrences[0]
        slots.setdefault(first.id, [])
    return {doc_id: tuple(values) for doc_id, values in slots.items()}
