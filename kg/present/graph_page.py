"""The interactive graph page. Every pyvis quirk is contained here.

pyvis 0.3.2 is used for its page template and its inlined vis-network build, and nothing else:

* the node and edge lists are filled directly (``add_edge`` is quadratic) with copies, so the
  caller's data is never changed;
* the template is rendered here with ``tooltip_link=False``: pyvis would otherwise switch *every*
  tooltip to raw HTML as soon as one title contains "href" (an XSS sink); vis-network 9 shows
  string tooltips as text;
* the heading, which pyvis inserts as raw HTML, stays empty; our own panel sets text with
  textContent;
* ``cdn_resources="in_line"`` still links bootstrap (and tom-select) from CDNs: those tags are
  dropped, so the page works offline, and no ``lib/`` folder is written anywhere;
* physics stabilises a bounded number of iterations and is then switched off.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib.resources import files

from kg.analysis.burden import BurdenRow, Weights
from kg.analysis.rows import GraphData
from kg.present.reports import domain_labels
from kg.present.graph_view import View, build_view, colour_of

__all__ = ["Rendered", "render_html", "page_html", "remote_references"]

_REMOTE_TAG = re.compile(r"<(?:link|script)\b[^>]*\b(?:href|src)\s*=\s*[\"']?https?://[^>]*>(?:\s*</script>)?", re.I | re.S)
_HEADING = re.compile(r"<center>\s*<h1>\s*</h1>\s*</center>", re.I)
_DEAD_COMMENT = re.compile(r"<!--(?:(?!-->).)*node_modules(?:(?!-->).)*-->", re.S)  # template's commented-out tags
_CREATED = "network = new vis.Network(container, data, options);"


@dataclass(frozen=True)
class Rendered:
    html: str
    nodes: int
    edges: int
    kind: str
    note: str


def remote_references(html: str) -> list[str]:
    """Resource references that would need the network: src/href attributes, CSS url(), @import.

    >>> remote_references('<img src="https://x/a.png"><a href="#">x</a><style>b{background:url(http://y)}</style>')
    ['https://x/a.png', 'http://y']
    """
    pattern = r"""(?:\b(?:src|href)\s*=\s*["']?|url\(\s*["']?|@import\s+["'])(https?://[^"')\s>]+)"""
    return re.findall(pattern, html, re.I)


def _options(count: int) -> dict:  # type: ignore[type-arg]
    iterations = 400 if count < 300 else 200 if count < 1000 else 120 if count < 2500 else 80 if count < 10000 else 50
    return {
        "physics": {"enabled": True, "solver": "barnesHut",
                    "barnesHut": {"gravitationalConstant": -6000, "springLength": 110, "springConstant": 0.03,
                                  "damping": 0.5, "avoidOverlap": 0.1},
                    "stabilization": {"enabled": True, "iterations": iterations, "updateInterval": 25, "fit": True},
                    "minVelocity": 1.0},
        "layout": {"improvedLayout": count <= 150, "randomSeed": 7},
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": count > 1500,
                        "hideEdgesOnZoom": count > 1500},
        "edges": {"smooth": False},
        "nodes": {"font": {"face": "Noto Sans CJK SC, Microsoft YaHei, sans-serif"}},
    }


def _script_json(data: object) -> str:
    """JSON safe inside a <script> element (no </script>, no HTML parsing of its text)."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _panel(view: View) -> str:
    legend_lines = "".join(
        f'<svg class="kg-line" height="6"><line x1="0" y1="3" x2="28" y2="3" stroke="#546e7a" '
        f'stroke-width="{w}" stroke-dasharray="{d}"/></svg>{label}'
        for label, w, d in (("牵头 lead", 3, ""), ("配合 support", 1.5, "8 6"), ("责任 responsible", 1.2, "2 5")))
    kinds = ('<span class="kg-swatch" style="background:#37474f;border-radius:0"></span>文件 document'
             '<span class="kg-swatch" style="background:#cfd8dc"></span>任务 task (colour = domain)'
             '<span class="kg-swatch" style="background:#4363d8"></span>机构 agency (size = burden, colour = function)'
             '<span class="kg-swatch" style="background:#9e9e9e"></span>集体 collective'
             '<span class="kg-swatch" style="background:#ffb300;border-radius:0"></span>议事协调机构 group')
    return f"""<div id="kg-panel">
<h1 id="kg-title"></h1><p id="kg-note"></p>
<input id="kg-search" list="kg-agencies" placeholder="搜索机构 Search agency" size="24"><datalist id="kg-agencies"></datalist>
<button id="kg-search-button" type="button">Find</button> <span id="kg-found"></span>
<label>文件 Document <select id="kg-document"><option value="">all</option></select></label>
<label>领域 Domain <select id="kg-domain"><option value="">all</option></select></label>
<label><input type="checkbox" data-role="lead" checked> 牵头</label>
<label><input type="checkbox" data-role="support" checked> 配合</label>
<label><input type="checkbox" data-role="responsible" checked> 责任</label>
<div class="kg-legend">{legend_lines} {kinds}</div>
<div class="kg-legend" id="kg-domain-legend"></div>
</div>"""


def page_html(view: View, title: str) -> str:
    """The full page for a view: pyvis template, offline, with our panel and script."""
    from pyvis.network import Network

    net = Network(height="calc(100vh - 130px)", width="100%", cdn_resources="in_line", heading="")
    net.nodes = [dict(n) for n in view.nodes]
    net.edges = [dict(e, id=f"e{k}") for k, e in enumerate(view.edges)]
    options = _options(len(view.nodes))
    template = net.templateEnv.get_template(net.path)
    html = template.render(height=net.height, width=net.width, nodes=net.nodes, edges=net.edges, heading="",
                           options=json.dumps(options), physics_enabled=True, use_DOT=False, dot_lang="",
                           widget=False, bgcolor="#ffffff", conf=False, tooltip_link=False,
                           neighborhood_highlight=False, select_menu=False, filter_menu=False, notebook=False,
                           cdn_resources="in_line")
    labels = domain_labels()
    meta = {"title": title, "note": view.note, "kind": view.kind, "documents": view.documents,
            "domains": [{"key": d, "label": labels.get(d, d), "colour": colour_of(d)} for d in view.domains]}
    static = files("kg.present") / "static"
    head = (f'<style>{static.joinpath("graph.css").read_text(encoding="utf-8")}</style>\n'
            f'<script type="application/json" id="kg-meta">{_script_json(meta)}</script>\n'
            f'<script>{static.joinpath("graph.js").read_text(encoding="utf-8")}</script>\n')
    html = _REMOTE_TAG.sub("", html)
    html = _HEADING.sub("", html)
    html = _DEAD_COMMENT.sub("", html)
    html = html.replace("<html>", '<!DOCTYPE html>\n<html lang="zh-Hans">', 1)
    html = html.replace("</head>", head + "</head>", 1)
    html = re.sub(r"<body>", "<body>\n" + _panel(view).replace("\\", "\\\\"), html, count=1)
    if _CREATED not in html:
        raise RuntimeError("pyvis template changed: cannot hook the page script (pin pyvis 0.3.x)")
    return html.replace(_CREATED, _CREATED + " kgAfterCreate(network);", 1)


def render_html(data: GraphData, document: str | None = None, domain: str | None = None, focus: str | None = None,
                depth: int = 1, max_nodes: int = 2000, weights: Weights = Weights(),
                burden: list[BurdenRow] | None = None) -> Rendered:
    """The page for these filters, with the counts it draws."""
    view = build_view(data, document, domain, focus, depth, max_nodes, weights, burden)
    scope = " · ".join(filter(None, [document, domain and f"domain {domain}", focus and f"focus {focus}"]))
    title = f"责任分工网络 Responsibility graph ({len(view.documents)} documents{': ' + scope if scope else ''})"
    return Rendered(page_html(view, title), len(view.nodes), len(view.edges), view.kind, view.note)
