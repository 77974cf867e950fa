"""Pictures of the analysis (matplotlib, Agg): each written as PNG and SVG of a fixed size, with
Korean labels in a font that has Hangul glyphs, registered with ``font_manager.addfont`` (no
tofu boxes), and a footnote saying how many cases it covers and what it left out.
"""
from __future__ import annotations

import os
from pathlib import Path

from .errors import AdminKGError


class FontUnavailable(AdminKGError):
    """No font with Hangul glyphs was found."""


def _pyplot():
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    return plt


def has_glyph(font_file: str | Path, char: str = "가") -> bool:
    """Whether *font_file* maps *char* to a glyph (not to the missing-glyph box, index 0)."""
    from matplotlib.ft2font import FT2Font

    return FT2Font(str(font_file)).get_char_index(ord(char)) != 0


def use_hangul_font(candidates: list[str], extra: str | Path | None = None) -> tuple[str, str]:
    """Register the first font of *extra* and *candidates* that exists and has the glyph of 가,
    and make it matplotlib's default family; return (family name, file). :class:`FontUnavailable`
    names every place it looked."""
    from matplotlib import font_manager, rcParams

    tried = [str(extra)] if extra else []
    tried += list(candidates)
    for path in tried:
        if os.path.isfile(path) and has_glyph(path):
            font_manager.fontManager.addfont(path)
            name = font_manager.FontProperties(fname=path).get_name()
            rcParams["font.family"] = name
            rcParams["axes.unicode_minus"] = False
            return name, path
    raise FontUnavailable(f"no font with Hangul glyphs (tried {', '.join(tried)}); install Debian's fonts-nanum "
                          f"(make sysdeps) or pass --font FILE")


class Canvas:
    """A figure of exactly *width* × *height* pixels, saved as PNG and SVG."""

    def __init__(self, width: int, height: int, dpi: int):
        self.plt = _pyplot()
        self.fig = self.plt.figure(figsize=(width / dpi, height / dpi), dpi=dpi)
        self.dpi = dpi

    def save(self, base: Path, footnote: str) -> list[Path]:
        self.fig.text(0.01, 0.01, footnote, fontsize=10, color="#444444", ha="left", va="bottom", wrap=True)
        written = []
        for ext in ("png", "svg"):
            path = base.with_suffix(f".{ext}")
            tmp = path.with_name(f".{path.name}.tmp")
            self.fig.savefig(tmp, dpi=self.dpi, format=ext)  # no bbox_inches: the size stays exact
            os.replace(tmp, path)
            written.append(path)
        self.plt.close(self.fig)
        return written


def readable_subset(graph, max_nodes: int) -> tuple[list, str]:
    """The nodes a network picture draws: all of them when there are at most *max_nodes*; else a
    connected part of the largest component (isolated pairs would fill the frame, and 40,000 dots
    are no picture) grown from its best-connected node (highest weighted degree) by adding, one at a
    time, the best-connected node linked to those already in — the hubs and the links between them,
    where the *max_nodes* best-connected nodes of a bipartite network would be partners sharing no
    link. Returns the nodes and a sentence saying what was drawn ("" when all are)."""
    import heapq

    import networkx as nx

    n = graph.number_of_nodes()
    strength = dict(graph.degree(weight="weight"))
    if n <= max_nodes:
        return sorted(graph, key=lambda v: (-strength[v], str(v))), ""
    if not graph.number_of_edges():
        keep = sorted(graph, key=lambda v: (-strength[v], str(v)))[:max_nodes]
        return keep, f"Drawn: the {len(keep)} best-connected of {n} nodes; the tables and networks/ hold them all."
    pool = max(nx.connected_components(graph), key=lambda c: (len(c), sorted(map(str, c))))
    start = min(pool, key=lambda v: (-strength[v], str(v)))
    frontier, seen, keep = [(-strength[start], str(start), start)], {start}, []
    while frontier and len(keep) < max_nodes:
        *_, node = heapq.heappop(frontier)
        keep.append(node)
        for other in graph[node]:
            if other not in seen:
                seen.add(other)
                heapq.heappush(frontier, (-strength[other], str(other), other))
    return keep, (f"Drawn: {len(keep)} of {n} nodes, a connected part of the largest component ({len(pool)} "
                  f"nodes) grown from its best-connected node; the tables and networks/ hold them all.")


def network_picture(graph, base: Path, *, title: str, footnote: str, colour_by: str, max_nodes: int, labels: int,
                    seed: int, size: tuple[int, int, int], legend: dict[str, str] | None = None) -> list[Path]:
    """The nodes of :func:`readable_subset` (the footnote says which when it is not all of them)
    and the subgraph they make, laid out by a seeded spring layout, coloured by the node attribute
    *colour_by*, sized by weighted degree, the *labels* best connected named in Korean."""
    import networkx as nx

    canvas = Canvas(*size)
    ax = canvas.fig.add_axes([0.01, 0.05, 0.98, 0.88])
    ax.set_axis_off()
    canvas.fig.suptitle(title, fontsize=18)
    strength = dict(graph.degree(weight="weight"))
    keep, drawn = readable_subset(graph, max_nodes)
    footnote = f"{footnote}. {drawn}" if drawn else footnote
    sub = graph.subgraph(keep)
    if sub.number_of_nodes():
        pos = nx.spring_layout(sub, seed=seed, k=1.5 / max(1, sub.number_of_nodes()) ** 0.5, iterations=100)
        values = sorted({str(sub.nodes[n].get(colour_by, "")) for n in sub}, key=lambda v: (len(v), v))
        cmap = canvas.plt.get_cmap("tab20")
        colour = {v: cmap(i % 20) for i, v in enumerate(values)}
        top = max(strength[n] for n in sub) or 1
        nx.draw_networkx_edges(sub, pos, ax=ax, alpha=0.35, width=[0.5 + d.get("weight", 1) ** 0.5
                                                                   for *_, d in sub.edges(data=True)])
        nx.draw_networkx_nodes(sub, pos, ax=ax, node_color=[colour[str(sub.nodes[n].get(colour_by, ""))] for n in sub],
                               node_size=[40 + 900 * strength[n] / top for n in sub], linewidths=0.5,
                               edgecolors="#333333")
        named = sorted(sub, key=lambda n: (-strength[n], str(n)))[:labels]
        nx.draw_networkx_labels(sub, pos, ax=ax, labels={n: sub.nodes[n].get("label", n) for n in named},
                                font_size=11, font_family=canvas.plt.rcParams["font.family"])
        handles = [canvas.plt.Line2D([], [], marker="o", linestyle="", color=colour[v],
                                     label=(legend or {}).get(v, v)) for v in values[:20]]
        ax.legend(handles=handles, loc="upper right", fontsize=11, frameon=False)
    else:
        ax.text(0.5, 0.5, "(no edges)", ha="center", fontsize=16)
    return canvas.save(base, footnote)


def curves_picture(curves: list[dict], labels: dict[str, str], base: Path, *, title: str, footnote: str,
                   size: tuple[int, int, int], top: int = 10) -> list[Path]:
    """Cumulative adopters per year, one line per technology (the *top* with most adopters)."""
    canvas = Canvas(*size)
    ax = canvas.fig.add_axes([0.07, 0.1, 0.7, 0.8])
    canvas.fig.suptitle(title, fontsize=18)
    series: dict[str, list[tuple[int, int]]] = {}
    for r in curves:
        series.setdefault(r["technology"], []).append((r["year"], r["cumulative_adopters"]))
    chosen = sorted(series, key=lambda t: (-series[t][-1][1], t))[:top]
    for tech in chosen:
        xs, ys = zip(*series[tech])
        ax.step(xs, ys, where="post", linewidth=2, label=f"{labels.get(tech, tech)} ({tech})")
    ax.set_xlabel("연도 (year)", fontsize=13)
    ax.set_ylabel("누적 도입 기관 수 (cumulative adopters)", fontsize=13)
    ax.grid(alpha=0.3)
    ax.xaxis.get_major_locator().set_params(integer=True)
    if chosen:
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=12, frameon=False)
    return canvas.save(base, footnote)


def map_picture(shapes: dict, values: dict[str, float], base: Path, *, title: str, legend: str, footnote: str,
                size: tuple[int, int, int], cmap: str = "YlOrRd", tolerance: float = 0.003) -> list[Path]:
    """A choropleth of the 시군구 *shapes*: coloured by *values*, light grey where there is none."""
    from matplotlib.colors import Normalize

    canvas = Canvas(*size)
    ax = canvas.fig.add_axes([0.02, 0.06, 0.8, 0.86])
    ax.set_axis_off()
    ax.set_aspect(1.25)  # about 1/cos(37°): degrees of longitude are shorter than of latitude
    canvas.fig.suptitle(title, fontsize=18)
    shown = [v for v in values.values() if v is not None]
    low, high = (min(shown), max(shown)) if shown else (0, 1)
    norm = Normalize(low, high if high > low else low + 1)
    colours = canvas.plt.get_cmap(cmap)
    for region, geom in shapes.items():
        value = values.get(region)
        face = "#e8e8e8" if value is None else colours(norm(value))
        for poly in getattr(geom.simplify(tolerance), "geoms", [geom.simplify(tolerance)]):
            if poly.is_empty or not hasattr(poly, "exterior"):
                continue
            xs, ys = poly.exterior.xy
            ax.fill(xs, ys, facecolor=face, edgecolor="#666666", linewidth=0.3)
    mappable = canvas.plt.cm.ScalarMappable(norm=norm, cmap=colours)
    bar = canvas.fig.colorbar(mappable, ax=ax, fraction=0.04, pad=0.02)
    bar.set_label(legend, fontsize=13)
    return canvas.save(base, footnote)


def matrix_picture(matrix: list[list[int]], names: list[str], base: Path, *, title: str, footnote: str,
                   size: tuple[int, int, int], xlabel: str, ylabel: str) -> list[Path]:
    """A heat map of a square count matrix with the counts written in its cells."""
    canvas = Canvas(*size)
    ax = canvas.fig.add_axes([0.15, 0.12, 0.7, 0.76])
    canvas.fig.suptitle(title, fontsize=18)
    ax.imshow(matrix, cmap="Blues")
    ax.set_xticks(range(len(names)), names, fontsize=14)
    ax.set_yticks(range(len(names)), names, fontsize=14)
    ax.set_xlabel(xlabel, fontsize=14)
    ax.set_ylabel(ylabel, fontsize=14)
    top = max((max(r) for r in matrix), default=0) or 1
    for i, row in enumerate(matrix):
        for j, value in enumerate(row):
            ax.text(j, i, str(value), ha="center", va="center", fontsize=16,
                    color="white" if value > top / 2 else "black")
    return canvas.save(base, footnote)
