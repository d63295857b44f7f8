"""Views: a paragraph's entities (displaCy) and the relation arcs from each figure, as HTML.

The entities are rendered by ``spacy.displacy`` (style "ent") with a
template that adds each span's character offsets to its ``<mark>``; a small
inline script then draws, over each paragraph, one SVG arc per relation
from the figure's mark to the mark of its indicator, target, commune or
project, labelled with the relation type. The arcs are computed in the
browser from the marks' positions, so they follow line wrapping and are
redrawn when the page is resized. The page needs no external resources.

    >>> from vnreport_ie.io.views import render_html, save_html, display
    >>> save_html(nlp.pipe(texts), "page.html", paragraph_ids=ids)   # a standalone page
    >>> display(nlp(text))                                           # in a notebook cell
"""

from __future__ import annotations

import json
import uuid
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path

from spacy import displacy
from spacy.language import Language
from spacy.tokens import Doc

from vnreport_ie.io.annotations import ENTITY_LABELS
from vnreport_ie.schema import FIGURE_LABELS
from vnreport_ie.pipeline.relations import get_relations

ENTITY_COLORS = {
    "MONEY": "#a6e3a1",
    "PERCENT": "#9fd3f0",
    "COMMUNE": "#fdc875",
    "PROJECT": "#dcc0f3",
    "INDICATOR": "#f6c4c4",
    "TARGET": "#f2ee8e",
}
RELATION_COLORS = {
    "indicator": "#b3261e",
    "target": "#1b5fa8",
    "location": "#b06a00",
    "project": "#6f3a9c",
}
OTHER_RELATION_COLOR = "#555555"

# displaCy's ent template (spacy.displacy.templates.TPL_ENT) plus the span's character offsets (and, on a figure,
# data-figure="START-END", which the table rows and arcs of that figure share for the hover focus).
MARK_TEMPLATE = (
    '<mark class="entity" data-start="{span_start}" data-end="{span_end}"{figure_attr} style="background: {bg}; '
    "padding: 0.45em 0.6em; margin: 0 0.25em; line-height: 1; border-radius: 0.35em;\">{text}"
    '<span style="font-size: 0.8em; font-weight: bold; line-height: 1; border-radius: 0.35em; '
    'vertical-align: middle; margin-left: 0.5rem">{label}{kb_link}</span></mark>'
)

# e.g. "10-20", "12", "10-" (inclusive): paragraph numbers as in the tables' paragraph_id ("report:49"), i.e.
# the line of a .txt report (blank lines count) and of a .jsonl file
PARAGRAPH_RANGE_HELP = (
    "N, N-M or N- (paragraph numbers as in the tables' paragraph_id, i.e. line numbers; inclusive, e.g. 10-20)"
)

STYLE = """
.vnr-view { font-family: -apple-system, "Segoe UI", Roboto, "Noto Sans", Arial, sans-serif; color: #222;
  max-width: 62rem; }
.vnr-view h1 { font-size: 1.4rem; margin: 0.5rem 0 0.75rem; }
.vnr-legend { font-size: 0.8rem; margin-bottom: 1rem; line-height: 2; }
.vnr-legend .vnr-swatch { display: inline-block; padding: 0.1em 0.5em; margin-right: 0.4em; border-radius: 0.3em;
  font-weight: bold; }
.vnr-legend .vnr-rel-swatch { display: inline-block; margin-right: 0.8em; font-weight: bold; }
.vnr-paragraph { border-top: 1px solid #ddd; padding: 0.5rem 0 0.75rem; }
.vnr-paragraph-id { font-size: 0.75rem; color: #666; font-family: monospace; }
.vnr-text { position: relative; padding-top: 1.2rem; }
.vnr-text .entities { line-height: 4.4 !important; overflow-wrap: anywhere; }
/* a mark that wraps keeps its padding and rounded ends on both lines instead of being clipped */
.vnr-text mark.entity { -webkit-box-decoration-break: clone; box-decoration-break: clone; }
.vnr-text svg.vnr-arcs { position: absolute; left: 0; top: 0; pointer-events: none; overflow: visible; }
.vnr-text svg.vnr-arcs text { font-size: 11px; font-weight: bold; paint-order: stroke; stroke: #fff;
  stroke-width: 3px; stroke-linejoin: round; }
/* arc labels only for the figure in focus: with many figures they would overlap */
.vnr-text svg.vnr-arcs text.vnr-arc-label { visibility: hidden; }
.vnr-focus svg.vnr-arcs .vnr-arc { opacity: 0.12; }
.vnr-focus svg.vnr-arcs .vnr-arc.vnr-lit { opacity: 1; stroke-width: 3; }
.vnr-focus svg.vnr-arcs text.vnr-arc-label.vnr-lit { visibility: visible; }
.vnr-view mark.entity.vnr-lit { outline: 3px solid #e0007a; outline-offset: 1px; }
.vnr-figures { border-collapse: collapse; font-size: 0.78rem; margin: 0.4rem 0; width: 100%; }
.vnr-figures th, .vnr-figures td { border-bottom: 1px solid #eee; padding: 0.15rem 0.4rem; text-align: left;
  vertical-align: top; }
.vnr-figures th { color: #555; font-weight: 600; }
.vnr-figures td.vnr-value { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.vnr-figures tr[data-figure] { cursor: default; }
.vnr-figures tr.vnr-lit td { background: #fde7f2; }
.vnr-relations { font-size: 0.8rem; color: #444; }
.vnr-relations summary { cursor: pointer; }
.vnr-relations li { margin: 0.15rem 0; }
.vnr-relations .vnr-undrawn { color: #a33; }
"""

# Draws the arcs of every paragraph of one view; "__ROOT_ID__" is replaced by the view's element id.
SCRIPT = """
(function () {
  var root = document.getElementById("__ROOT_ID__");
  if (!root) { return; }
  var NS = "http://www.w3.org/2000/svg";
  function make(name, attrs) {
    var node = document.createElementNS(NS, name);
    for (var key in attrs) { node.setAttribute(key, attrs[key]); }
    return node;
  }
  function findMark(box, start, end) {
    return box.querySelector('mark[data-start="' + start + '"][data-end="' + end + '"]');
  }
  function drawBox(box, index) {
    var old = box.querySelector("svg.vnr-arcs");
    if (old) { old.parentNode.removeChild(old); }
    var relations = JSON.parse(box.getAttribute("data-relations") || "[]");
    var base = box.getBoundingClientRect();
    var svg = make("svg", {"class": "vnr-arcs", width: box.offsetWidth, height: box.offsetHeight});
    var defs = make("defs", {});
    svg.appendChild(defs);
    var arrows = {};
    function arrow(color) {
      if (!arrows[color]) {
        var id = root.id + "-arrow-" + index + "-" + Object.keys(arrows).length;
        var marker = make("marker", {id: id, viewBox: "0 0 10 10", refX: "9", refY: "5", markerWidth: "7",
                                     markerHeight: "7", orient: "auto-start-reverse"});
        marker.appendChild(make("path", {d: "M 0 0 L 10 5 L 0 10 z", fill: color}));
        defs.appendChild(marker);
        arrows[color] = id;
      }
      return arrows[color];
    }
    // spread the ends of arcs that share a mark along its width
    var ends = [];
    var slots = new Map();
    relations.forEach(function (r) {
      var head = findMark(box, r.head[0], r.head[1]);
      var tail = findMark(box, r.tail[0], r.tail[1]);
      ends.push(head && tail ? [head, tail] : null);
      if (head && tail) {
        [head, tail].forEach(function (m) { slots.set(m, (slots.get(m) || 0) + 1); });
      }
    });
    var used = new Map();
    function anchor(mark) {
      var rect = mark.getClientRects()[0] || mark.getBoundingClientRect();
      var k = (used.get(mark) || 0) + 1;
      used.set(mark, k);
      return [rect.left - base.left + rect.width * k / (slots.get(mark) + 1), rect.top - base.top];
    }
    relations.forEach(function (r, i) {
      if (!ends[i]) { return; }
      var a = anchor(ends[i][0]), b = anchor(ends[i][1]);
      var lift = Math.min(34, 16 + Math.abs(b[0] - a[0]) * 0.05);
      var control = Math.min(a[1], b[1]) - lift / 0.75;
      var path = make("path", {
        "class": "vnr-arc", "data-type": r.type, "data-figure": r.head[0] + "-" + r.head[1], fill: "none",
        stroke: r.color, "stroke-width": "1.6",
        d: "M " + a[0] + " " + a[1] + " C " + a[0] + " " + control + ", " + b[0] + " " + control + ", " +
           b[0] + " " + b[1],
        "marker-end": "url(#" + arrow(r.color) + ")"
      });
      var title = make("title", {});
      title.textContent = r.type;
      path.appendChild(title);
      svg.appendChild(path);
      var label = make("text", {"class": "vnr-arc-label", "data-figure": r.head[0] + "-" + r.head[1],
                                fill: r.color, "text-anchor": "middle",
                                x: (a[0] + b[0]) / 2, y: 0.125 * (a[1] + b[1]) + 0.75 * control - 3});
      label.textContent = r.type;
      svg.appendChild(label);
    });
    box.appendChild(svg);
  }
  // focus on one figure: its mark, the marks it links to, its arcs (with their labels) and its table row
  function unfocus(section) {
    section.classList.remove("vnr-focus");
    var lit = section.querySelectorAll(".vnr-lit");
    for (var i = 0; i < lit.length; i++) { lit[i].classList.remove("vnr-lit"); }
  }
  function focus(section, figure) {
    unfocus(section);
    var box = section.querySelector(".vnr-text");
    var relations = JSON.parse(box.getAttribute("data-relations") || "[]");
    var ends = figure.split("-");
    var lit = [findMark(box, ends[0], ends[1])];
    relations.forEach(function (r) {
      if (r.head[0] + "-" + r.head[1] === figure) { lit.push(findMark(box, r.tail[0], r.tail[1])); }
    });
    lit = lit.concat(Array.prototype.slice.call(section.querySelectorAll('[data-figure="' + figure + '"]')));
    lit.forEach(function (node) { if (node) { node.classList.add("vnr-lit"); } });
    section.classList.add("vnr-focus");
  }
  function wireFocus() {
    var sections = root.querySelectorAll(".vnr-paragraph");
    Array.prototype.forEach.call(sections, function (section) {
      var hoverable = section.querySelectorAll("tr[data-figure], mark.entity[data-figure]");
      Array.prototype.forEach.call(hoverable, function (node) {
        node.addEventListener("mouseenter", function () { focus(section, node.getAttribute("data-figure")); });
        node.addEventListener("mouseleave", function () { unfocus(section); });
      });
    });
    // a link can focus a figure: page.html#vnr-focus=PARAGRAPH:START-END (PARAGRAPH counts sections from 1)
    var wanted = /vnr-focus=(\\d+):(\\d+-\\d+)/.exec(decodeURIComponent(window.location.hash || ""));
    if (wanted && sections[+wanted[1] - 1]) { focus(sections[+wanted[1] - 1], wanted[2]); }
  }
  function drawAll() {
    var boxes = root.querySelectorAll(".vnr-text");
    for (var i = 0; i < boxes.length; i++) { drawBox(boxes[i], i); }
    var sections = root.querySelectorAll(".vnr-paragraph.vnr-focus");
    for (var j = 0; j < sections.length; j++) {  // a redraw keeps the focus on the new arcs
      var row = sections[j].querySelector("tr.vnr-lit[data-figure]");
      if (row) { focus(sections[j], row.getAttribute("data-figure")); }
    }
  }
  drawAll();
  wireFocus();
  var width = root.offsetWidth;
  if (window.ResizeObserver) {
    new ResizeObserver(function () {
      if (root.offsetWidth !== width) { width = root.offsetWidth; drawAll(); }
    }).observe(root);
  }
  window.addEventListener("load", drawAll);
})();
"""


def _as_docs(docs: Doc | Iterable[Doc]) -> list[Doc]:
    if isinstance(docs, Doc):
        return [docs]
    result = list(docs)
    for doc in result:
        if not isinstance(doc, Doc):
            raise TypeError(f"expected spaCy Docs, got {type(doc).__name__}")
    return result


def _entity_markup(doc: Doc) -> str:
    """displaCy's "ent" rendering of ``doc``, each mark carrying its span's character offsets."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"\[W006\]")  # a paragraph without entities is normal here
        parsed = displacy.parse_ents(doc)
    for span in parsed["ents"]:
        figure = f' data-figure="{span["start"]}-{span["end"]}"' if span["label"] in FIGURE_LABELS else ""
        span["params"] = {
            "span_start": span["start"], "span_end": span["end"], "figure_attr": figure, "label": escape(span["label"])
        }  # fmt: skip
    parsed["title"] = None
    options = {"colors": ENTITY_COLORS, "template": MARK_TEMPLATE}
    return displacy.render(parsed, style="ent", manual=True, page=False, jupyter=False, options=options)


def _paragraph_markup(doc: Doc, paragraph_id: str | None) -> str:
    spans = {(e.start_char, e.end_char): e for e in doc.ents}
    relations = get_relations(doc)
    arcs = [
        {
            "type": r.type,
            "head": [r.head_start, r.head_end],
            "tail": [r.tail_start, r.tail_end],
            "color": RELATION_COLORS.get(r.type, OTHER_RELATION_COLOR),
        }
        for r in relations
    ]
    parts = ['<section class="vnr-paragraph">']
    if paragraph_id is not None:
        parts.append(f'<div class="vnr-paragraph-id">{escape(str(paragraph_id))}</div>')
    parts.append(
        f'<div class="vnr-text" data-relations="{escape(json.dumps(arcs, ensure_ascii=False), quote=True)}">'
        f"{_entity_markup(doc)}</div>"
    )
    parts.append(_figure_table(doc))
    if relations:
        items = []
        for r in relations:
            drawn = (r.head_start, r.head_end) in spans and (r.tail_start, r.tail_end) in spans
            color = RELATION_COLORS.get(r.type, OTHER_RELATION_COLOR)
            note = "" if drawn else ' <span class="vnr-undrawn">(no entity at these offsets: not drawn)</span>'
            items.append(
                f"<li>{escape(doc.text[r.head_start:r.head_end])} "
                f'<b style="color: {color}">→ {escape(r.type)} →</b> '
                f"{escape(doc.text[r.tail_start:r.tail_end])}{note}</li>"
            )
        parts.append(
            f'<details class="vnr-relations"><summary>{len(relations)} relation(s)</summary>'
            f"<ul>{''.join(items)}</ul></details>"
        )
    parts.append("</section>")
    return "".join(parts)


FIGURE_TABLE_COLUMNS = ("figure", "value", "indicator", "target", "commune", "project")


def format_value(value: int | float | None, unit: str | None) -> str:
    """A figure's value the Vietnamese way: "58.829.000.000 VND", "26,15 %" ("" when it has none)."""
    if value is None:
        return ""
    if isinstance(value, int):
        number = f"{value:,}".replace(",", ".")
    else:
        number = f"{value:.6f}".rstrip("0").rstrip(".").replace(".", ",")  # 26.15 -> 26,15
    return f"{number} {unit}" if unit else number


def _figure_table(doc: Doc) -> str:
    """A compact table of the paragraph's figures and what each is linked to (one row a figure)."""
    from vnreport_ie.records.figures import doc_to_records

    records = doc_to_records(doc)
    if not records:
        return ""
    rows = []
    for record in records:
        value = format_value(record.value, record.unit)
        if record.value_high is not None and record.value_high != record.value:
            value = f"{value} – {format_value(record.value_high, record.unit)}"
        cells = [
            f"<td>{escape(record.text)}</td>",
            f'<td class="vnr-value">{escape(value or (record.value_error or ""))}</td>',
            *(f"<td>{escape(getattr(record, column) or '')}</td>" for column in FIGURE_TABLE_COLUMNS[2:]),
        ]
        rows.append(f'<tr data-figure="{record.start}-{record.end}">{"".join(cells)}</tr>')
    header = "".join(f"<th>{column}</th>" for column in FIGURE_TABLE_COLUMNS)
    return f'<table class="vnr-figures"><thead><tr>{header}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def _legend() -> str:
    labels = "".join(
        f'<span class="vnr-swatch" style="background: {ENTITY_COLORS[label]}">{label}</span>' for label in ENTITY_LABELS
    )
    relations = "".join(
        f'<span class="vnr-rel-swatch" style="color: {color}">→ {name}</span>'
        for name, color in RELATION_COLORS.items()
    )
    return f'<div class="vnr-legend">{labels}<br>{relations}</div>'


def _fragment(docs: list[Doc], title: str | None, paragraph_ids: Sequence[str] | None) -> str:
    """The view's element and its drawing script (no <style>, no page around it)."""
    if paragraph_ids is not None and len(paragraph_ids) != len(docs):
        raise ValueError(f"got {len(paragraph_ids)} paragraph id(s) for {len(docs)} doc(s); give one id per doc")
    root_id = f"vnr-{uuid.uuid4().hex[:12]}"
    ids = paragraph_ids if paragraph_ids is not None else [None] * len(docs)
    body = "".join(_paragraph_markup(doc, pid) for doc, pid in zip(docs, ids))
    heading = f"<h1>{escape(title)}</h1>" if title else ""
    script = SCRIPT.replace("__ROOT_ID__", root_id)
    return f'<div class="vnr-view" id="{root_id}">{heading}{_legend()}{body}</div>\n<script>{script}</script>'


def render_html(
    docs: Doc | Iterable[Doc], title: str | None = None, paragraph_ids: Sequence[str] | None = None
) -> str:
    """A standalone HTML page of ``docs``: entities (displaCy) and relation arcs, one section per paragraph."""
    docs = _as_docs(docs)
    page_title = escape(title) if title else "vnreport-ie"
    return (
        '<!DOCTYPE html>\n<html lang="vi">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{page_title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f"{_fragment(docs, title, paragraph_ids)}\n</body>\n</html>\n"
    )


def save_html(
    docs: Doc | Iterable[Doc],
    path: str | Path,
    title: str | None = None,
    paragraph_ids: Sequence[str] | None = None,
) -> Path:
    """Write :func:`render_html` of ``docs`` to ``path`` (UTF-8) and return the path."""
    path = Path(path)
    path.write_text(render_html(docs, title=title, paragraph_ids=paragraph_ids), encoding="utf-8")
    return path


@dataclass
class ReportView:
    """Docs to show in a notebook (its ``_repr_html_`` is the view with its style and script)."""

    docs: list[Doc]
    title: str | None = None
    paragraph_ids: Sequence[str] | None = None

    def _repr_html_(self) -> str:
        return f"<style>{STYLE}</style>\n{_fragment(self.docs, self.title, self.paragraph_ids)}"

    def to_html(self) -> str:
        """The standalone page (as :func:`render_html`)."""
        return render_html(self.docs, title=self.title, paragraph_ids=self.paragraph_ids)

    def save(self, path: str | Path) -> Path:
        """Write the standalone page to ``path``."""
        return save_html(self.docs, path, title=self.title, paragraph_ids=self.paragraph_ids)


def display(
    docs: Doc | Iterable[Doc], title: str | None = None, paragraph_ids: Sequence[str] | None = None
) -> ReportView:
    """A view of ``docs`` that Jupyter shows as HTML (leave it as the last expression of a cell)."""
    return ReportView(_as_docs(docs), title, paragraph_ids)


def parse_paragraph_range(spec: str) -> tuple[int, int | None]:
    """The 1-based inclusive (first, last) of a range like "10-20", "12" or "10-" (last None: to the end)."""
    first_text, dash, last_text = spec.strip().partition("-")
    try:
        first = int(first_text)
        last = (int(last_text) if last_text.strip() else None) if dash else first
    except ValueError:
        raise ValueError(f"bad paragraph range {spec!r}: expected {PARAGRAPH_RANGE_HELP}") from None
    if first < 1 or (last is not None and last < first):
        raise ValueError(f"bad paragraph range {spec!r}: expected {PARAGRAPH_RANGE_HELP}")
    return first, last


def paragraph_number(paragraph, position: int) -> int:
    """The number of a paragraph as its ``paragraph_id`` shows it: its line (meta "paragraph" or "REPORT:N")."""
    number = paragraph.meta.get("paragraph")
    if isinstance(number, int) and not isinstance(number, bool):
        return number
    doc_id, _, suffix = str(paragraph.id).rpartition(":")
    return int(suffix) if doc_id and suffix.isdigit() else position


def _in_range(paragraphs: Iterable, first: int, last: int | None) -> Iterator:
    for position, paragraph in enumerate(paragraphs, start=1):
        number = paragraph_number(paragraph, position)
        if first <= number and (last is None or number <= last):
            yield paragraph


def report_docs(
    report: Path, nlp: Language, paragraphs: str | None = None, problems: list[str] | None = None
) -> tuple[list[Doc], list[str]]:
    """The processed paragraphs of a .txt/.jsonl report (optionally a range of them) and their ids.

    Raises InputError (a ValueError) when the file cannot be read and
    ValueError for a bad or empty range; bad .jsonl lines go to ``problems``
    as with :func:`vnreport_ie.io.reports.read_paragraphs`.
    """
    from vnreport_ie.io.reports import read_paragraphs

    first, last = parse_paragraph_range(paragraphs) if paragraphs else (1, None)
    picked = list(_in_range(read_paragraphs(report, problems), first, last))
    if not picked:
        where = f"in range {paragraphs} of {report}" if paragraphs else f"in {report}"
        raise ValueError(f"no paragraphs {where}")
    from vnreport_ie.pipeline.runner import pipe
    from vnreport_ie.io.batch import file_project_footnotes

    footnotes = file_project_footnotes(report)  # the whole report: a footnote's reference may be out of range
    docs = list(pipe(nlp, (p.text for p in picked), project_footnotes=footnotes))
    return docs, [p.id for p in picked]
