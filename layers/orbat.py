"""The order of battle (ORBAT): the map's commands and deployments as one tree, from the reports_to
chain, for the page's tree panel and as an SVG diagram written beside the map.

The tree: its nodes are the records of kind command and deployment. A command hangs under the command
it ``reports_to``. A deployment hangs under the command it ``reports_to``; else under a command at the
same place (the same ``at`` record); else under the command in its country (the lowest in the chain
when there are several). A record whose superior is not on the map is a root.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd

from geo.geonames import country_names

ROW = 30  # pixels per node in the SVG diagram
INDENT = 26
SVG_NS = "http://www.w3.org/2000/svg"


@dataclass
class Node:
    """One record in the tree, and the records under it in file order."""

    id: str
    name: str
    kind: str
    where: str  # where it is, in words
    symbol: str | None = None
    children: list[Node] = field(default_factory=list)


def tree(frame: gpd.GeoDataFrame) -> list[Node]:
    """The ORBAT of the records: its roots, each with its subordinates."""
    rows = [_row(r) for _, r in frame.iterrows()]
    names = {r["id"].casefold(): r["name"] for r in rows}
    nodes = {r["id"].casefold(): Node(r["id"], r["name"], r["kind"], where(r, names), r["symbol"])
             for r in rows if r["kind"] in ("command", "deployment")}
    commands = [r for r in rows if r["kind"] == "command"]
    depth = {c["id"].casefold(): _depth(c, {k["id"].casefold(): k for k in commands}) for c in commands}
    roots = []
    for record in rows:
        key = record["id"].casefold()
        if key not in nodes:
            continue
        parent = superior(record, commands, depth)
        (nodes[parent].children if parent in nodes and parent != key else roots).append(nodes[key])
    return roots


def where(record: dict[str, Any], names: dict[str, str]) -> str:
    """Where a node is, in words: 'HQ at Yokota Air Base', 'at Naval Air Facility Atsugi', 'in Japan'."""
    at = names.get((record["at"] or "").casefold())
    if at:
        return f"{'HQ at' if record['kind'] == 'command' else 'at'} {at}"
    return f"in {country_names().get(record['country'], record['country'])}" if record["country"] else ""


def _row(series: Any) -> dict[str, Any]:
    out = {k: series.get(k) for k in ("id", "name", "kind", "at", "reports_to", "country", "symbol")}
    return {k: (v if isinstance(v, str) else None) for k, v in out.items()}


def _depth(command: dict[str, Any], by_id: dict[str, dict[str, Any]]) -> int:
    """How far down the reports_to chain a command sits (0 at the top), cycles cut short."""
    seen, current = set(), command
    while current.get("reports_to") and current["reports_to"].casefold() in by_id and id(current) not in seen:
        seen.add(id(current))
        current = by_id[current["reports_to"].casefold()]
    return len(seen)


def superior(record: dict[str, Any], commands: list[dict[str, Any]], depth: dict[str, int]) -> str | None:
    """The id (casefolded) of the command a record hangs under, by the rules in this module's docstring."""
    if record["reports_to"]:
        return record["reports_to"].casefold()
    if record["kind"] != "deployment":
        return None
    here = [c for c in commands if record["at"] and (c["at"] or "").casefold() == record["at"].casefold()]
    country = [c for c in commands if record["country"] and c["country"] == record["country"]]
    for candidates in (here, country):
        if candidates:
            return max(candidates, key=lambda c: depth[c["id"].casefold()])["id"].casefold()
    return None


def has_chain(roots: list[Node]) -> bool:
    """Whether any command has a superior on the map: what makes an ORBAT worth showing."""
    return any(child.kind == "command" for root in roots for child in root.children) or any(
        has_chain(root.children) for root in roots)


def page_data(roots: list[Node]) -> list[dict[str, Any]]:
    """The tree as plain JSON for the page's panel: each node's id, name, kind, place, symbol and children."""
    return [{"id": n.id, "name": n.name, "kind": n.kind, "where": n.where, "symbol": n.symbol,
             "children": page_data(n.children)} for n in roots]


def to_svg(roots: list[Node], title: str, symbols: dict[str, str]) -> bytes:
    """The tree as an indented SVG diagram (names as escaped text; APP-6 symbols when ``symbols`` has them)."""
    ET.register_namespace("", SVG_NS)
    flat = list(_walk(roots, 0))
    width = max([len(title) * 9 + 40] + [depth * INDENT + len(n.name) * 8 + 80 for n, depth, _ in flat])
    height = (len(flat) + 1) * ROW + 20
    svg = ET.Element(f"{{{SVG_NS}}}svg", width=str(width), height=str(height), viewBox=f"0 0 {width} {height}",
                     **{"font-family": "Arial, sans-serif", "font-size": "13"})
    ET.SubElement(svg, f"{{{SVG_NS}}}rect", width="100%", height="100%", fill="#fff")
    ET.SubElement(svg, f"{{{SVG_NS}}}text", x="12", y="22", **{"font-weight": "bold"}).text = title
    rows: dict[int, int] = {}
    for row, (node, depth, parent) in enumerate(flat, 1):
        x, y = 14 + depth * INDENT, 20 + row * ROW
        rows[id(node)] = y
        if parent is not None:
            px, py = 14 + (depth - 1) * INDENT + 10, rows[id(parent)] + 8
            ET.SubElement(svg, f"{{{SVG_NS}}}path", d=f"M{px},{py} V{y} H{x}", stroke="#888", fill="none")
        if node.symbol in symbols:
            drawn = ET.fromstring(symbols[node.symbol])
            drawn.attrib.update(x=str(x), y=str(y - 10), width="28", height="20")
            svg.append(drawn)
        else:
            ET.SubElement(svg, f"{{{SVG_NS}}}circle", cx=str(x + 10), cy=str(y), r="5",
                          fill="#6a4c93" if node.kind == "command" else "#c1121f")
        label = ET.SubElement(svg, f"{{{SVG_NS}}}text", x=str(x + 32), y=str(y + 4))
        label.text = node.name
        if node.where:
            ET.SubElement(label, f"{{{SVG_NS}}}tspan", fill="#666").text = f", {node.where}"
    return ET.tostring(svg, encoding="UTF-8", xml_declaration=True) + b"\n"


def _walk(nodes: list[Node], depth: int, parent: Node | None = None):
    for node in nodes:
        yield node, depth, parent
        yield from _walk(node.children, depth + 1, node)
