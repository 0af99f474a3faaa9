"""Rendering results as documents to read or send: one self-contained HTML page per comparison.

The page has no external resources (inline CSS, no scripts, no fonts or images to fetch), so it
can be opened offline or mailed. Every piece of document text goes through ``html.escape``.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import TYPE_CHECKING

from .errors import UsageError

if TYPE_CHECKING:
    from .models import Document
    from .reuse import CompareResult, PairReport, SharedPassage

# CSS class of each diff op on the A and on the B side ("" = not highlighted as an edit).
_EDIT_CLASS = {
    "equal": ("", ""),
    "similar": ("sim", "sim"),
    "replace": ("del", "ins"),
    "delete": ("del", ""),
    "insert": ("", "ins"),
}

_CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif;
margin:1.5em;color:#222;line-height:1.6}
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.6em}h3{font-size:1em;margin:.8em 0 .3em}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.25em .5em;vertical-align:top}
th{background:#f3f3f3}td.num{text-align:right;font-variant-numeric:tabular-nums}
.meta{color:#666}.docs{display:grid;grid-template-columns:1fr 1fr;gap:1.5em}
.side{min-width:0}.text{white-space:pre-wrap;overflow-wrap:anywhere;border:1px solid #ddd;padding:.6em}
mark{color:inherit;border-radius:2px}
a.pa{font-size:.7em;vertical-align:super;text-decoration:none;background:#333;color:#fff;
padding:0 .3em;border-radius:.6em;margin-right:.15em}
a.pa:target,a.pa:hover{background:#c00}
.del{color:#a00;text-decoration:line-through}.ins{color:#070;text-decoration:underline}
.sim{text-decoration:underline dotted #b80}
.passages td.t{white-space:pre-wrap;overflow-wrap:anywhere;width:40%}
"""


def render_html(result: CompareResult, documents: Iterable[Document]) -> str:
    """One self-contained HTML page for a comparison.

    Shows a summary table of the part pairs, the list of passages with their edits, and both
    documents side by side with every shared passage highlighted in its own colour; the
    numbered marks at each passage start link A ↔ B.

    Args:
        result: what :func:`djmine.reuse.compare` returned.
        documents: the documents of ``result.a_ids`` and ``result.b_ids`` (others are ignored).

    Raises:
        UsageError: a document of the result is missing from ``documents``.
    """
    by_id = {doc.id: doc for doc in documents}
    missing = [i for i in (*result.a_ids, *result.b_ids) if i not in by_id]
    if missing:
        raise UsageError(f"render_html needs every compared document; missing {', '.join(missing)}")
    numbered = _number_passages(result)
    title = f"djmine compare {result.a} × {result.b}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title>",
        f"<style>{_CSS}{_colour_rules(len(numbered))}</style>",
        "</head><body>",
        f"<h1>{_e(title)}</h1>",
        _summary(result),
        _passage_list(numbered),
        "<h2>Documents</h2>",
        '<div class="docs">',
        _side("a", [by_id[i] for i in result.a_ids], numbered),
        _side("b", [by_id[i] for i in result.b_ids], numbered),
        "</div>",
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _number_passages(result: CompareResult) -> list[tuple[int, PairReport, SharedPassage]]:
    """Passages numbered from 1 in result order: the number is the anchor and the colour."""
    return [(n, pair, p) for n, (pair, p) in enumerate(result.passages, start=1)]


def _colour_rules(count: int) -> str:
    # Golden-angle hues: neighbouring passages get clearly different colours.
    return "".join(f".p{n}{{background:hsl({n * 137.508 % 360:.0f},75%,85%)}}" for n in range(1, count + 1))


def _summary(result: CompareResult) -> str:
    meta = (
        f'<p class="meta">Passages of at least {result.min_chars} characters with identity ≥ '
        f"{result.min_identity:g}. {len(result.pairs)} of {result.compared} part pairs share text. "
        "Offsets index the clean text (<code>djmine show ID</code>).</p>"
    )
    if not result.pairs:
        return meta + f"<p>No shared passages ≥ {result.min_chars} characters.</p>"
    rows = [
        "<tr><th>A</th><th>B</th><th>shared chars</th><th>coverage A</th><th>coverage B</th>"
        "<th>passages</th><th>longest</th></tr>"
    ]
    first = 1
    for pair in result.pairs:
        rows.append(
            f'<tr><td><a href="#a-p{first}">{_e(pair.a)}</a></td><td><a href="#b-p{first}">{_e(pair.b)}</a></td>'
            f'<td class="num">{pair.shared_chars}</td><td class="num">{pair.coverage_a:.1%}</td>'
            f'<td class="num">{pair.coverage_b:.1%}</td><td class="num">{len(pair.passages)}</td>'
            f'<td class="num">{pair.longest}</td></tr>'
        )
        first += len(pair.passages)
    return meta + '<table class="pairs">' + "".join(rows) + "</table>"


def _passage_list(numbered: list[tuple[int, PairReport, SharedPassage]]) -> str:
    from .reuse import passage_diff

    if not numbered:
        return ""
    rows = ["<tr><th>#</th><th>A</th><th>B</th><th>identity</th><th>text in A</th><th>text in B</th></tr>"]
    for n, pair, p in numbered:
        side_a, side_b = [], []
        for op, piece_a, piece_b in passage_diff(p):
            cls_a, cls_b = _EDIT_CLASS[op]
            side_a.append(_span(piece_a, cls_a))
            side_b.append(_span(piece_b, cls_b))
        rows.append(
            f'<tr id="list-p{n}"><td class="num {f"p{n}"}">{n}</td>'
            f'<td><a href="#a-p{n}">{_e(pair.a)}</a> [{p.a_start}:{p.a_end}]</td>'
            f'<td><a href="#b-p{n}">{_e(pair.b)}</a> [{p.b_start}:{p.b_end}]</td>'
            f'<td class="num">{p.identity:.1%}</td>'
            f'<td class="t">{"".join(side_a)}</td><td class="t">{"".join(side_b)}</td></tr>'
        )
    legend = (
        '<p class="meta">Edits: <span class="del">only in A</span>, <span class="ins">only in B</span>, '
        '<span class="sim">equal up to digits, punctuation or a placeholder</span>.</p>'
    )
    return "<h2>Passages</h2>" + legend + '<table class="passages">' + "".join(rows) + "</table>"


def _span(text: str, cls: str) -> str:
    return f'<span class="{cls}">{_e(text)}</span>' if cls else _e(text)


def _side(side: str, docs: list[Document], numbered: list[tuple[int, PairReport, SharedPassage]]) -> str:
    out = [f'<div class="side" id="side-{side}">']
    for index, doc in enumerate(docs, start=1):
        spans = [(n, p) for n, pair, p in numbered if (pair.a if side == "a" else pair.b) == doc.id]
        out.append(
            f'<section class="doc" id="{side}-doc{index}"><h3>{side.upper()}: {_e(doc.id)} · {_e(doc.title)}'
            f' <small class="meta">({len(doc.text)} chars)</small></h3>'
            f'<div class="text">{_highlight(doc.text, side, spans)}</div></section>'
        )
    out.append("</div>")
    return "\n".join(out)


def _highlight(text: str, side: str, spans: list[tuple[int, SharedPassage]]) -> str:
    """The text with each passage in a coloured <mark>, edits styled, and a link at each start.

    Works per character so that passages of different pairs may overlap on one side (a part of
    A reused in two parts of B): a character's mark lists every passage it belongs to.
    """
    from .reuse import passage_diff

    owners: list[tuple[int, ...]] = [()] * len(text)
    edits = [""] * len(text)
    starts: dict[int, list[int]] = {}
    other = "b" if side == "a" else "a"
    for n, p in spans:
        start, end = (p.a_start, p.a_end) if side == "a" else (p.b_start, p.b_end)
        starts.setdefault(start, []).append(n)
        for i in range(start, end):
            owners[i] = (*owners[i], n)
        offset = start
        for op, piece_a, piece_b in passage_diff(p):
            piece, cls = (piece_a, _EDIT_CLASS[op][0]) if side == "a" else (piece_b, _EDIT_CLASS[op][1])
            for i in range(offset, offset + len(piece)):
                edits[i] = cls
            offset += len(piece)
    out: list[str] = []
    i = 0
    while i < len(text):
        for n in starts.get(i, ()):
            out.append(f'<a class="pa" id="{side}-p{n}" href="#{other}-p{n}" title="passage {n}">{n}</a>')
        j = i + 1
        while j < len(text) and owners[j] == owners[i] and edits[j] == edits[i] and j not in starts:
            j += 1
        piece = _span(text[i:j], edits[i])
        if owners[i]:
            data = " ".join(map(str, owners[i]))
            piece = f'<mark class="p{owners[i][0]}" data-p="{data}">{piece}</mark>'
        out.append(piece)
        i = j
    return "".join(out)
