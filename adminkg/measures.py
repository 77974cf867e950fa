"""Network measures on networkx graphs: each returns plain values a table can hold, and says in
one sentence (:data:`EXPLAIN`, from analysis.toml) what it measures.

Leiden communities come from ``leidenalg`` on an ``igraph`` copy of the networkx graph (the
``analytics`` extra); networkx stays the graph researchers see.
"""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx

from .errors import AdminKGError


class MissingExtra(AdminKGError):
    """A measure needs a package of the ``analytics`` extra that is not installed."""


def degrees(graph: nx.Graph) -> dict[str, tuple[int, float]]:
    """Node → (degree, weighted degree: the sum of its edges' ``weight``)."""
    weighted = dict(graph.degree(weight="weight"))
    return {n: (d, weighted[n]) for n, d in graph.degree()}


@dataclass(frozen=True)
class Betweenness:
    values: dict[str, float]
    k: int | None  # None = exact; else the number of sampled source nodes

    @property
    def method(self) -> str:
        return "exact" if self.k is None else f"sampled from k={self.k} source nodes"


def betweenness(graph: nx.Graph, *, exact_max_nodes: int, k: int, seed: int) -> Betweenness:
    """Normalised betweenness centrality (shortest paths by hops): exact up to *exact_max_nodes*
    nodes, above that estimated from *k* source nodes drawn with *seed* (Brandes' pivots)."""
    n = graph.number_of_nodes()
    sample = None if n <= exact_max_nodes or k >= n else k
    return Betweenness(nx.betweenness_centrality(graph, k=sample, normalized=True, seed=seed), sample)


def constraint(graph: nx.Graph) -> dict[str, float]:
    """Burt's constraint (weighted by ``weight``): high for a node whose contacts all know each
    other, low for a broker between otherwise unconnected contacts; NaN for an isolated node."""
    return {n: float(v) for n, v in nx.constraint(graph, weight="weight").items()}


def eigenvector(graph: nx.Graph, *, max_iter: int, tol: float) -> dict[str, float]:
    """Eigenvector centrality (weighted), computed per connected component and scaled by the
    component's share of the nodes, so that a small component's centre does not rank with the
    largest one's; a graph without edges gives zeros."""
    out: dict[str, float] = {}
    n = graph.number_of_nodes()
    for nodes in nx.connected_components(graph):
        if len(nodes) < 2:
            out.update(dict.fromkeys(nodes, 0.0))
            continue
        sub = graph.subgraph(nodes)
        try:
            values = nx.eigenvector_centrality(sub, weight="weight", max_iter=max_iter, tol=tol)
        except nx.PowerIterationFailedConvergence:
            values = nx.eigenvector_centrality(sub, weight=None, max_iter=max_iter * 10, tol=tol * 10)
        share = len(nodes) / n
        out.update({k: v * share for k, v in values.items()})
    return out


@dataclass(frozen=True)
class Communities:
    membership: dict[str, int]   # node → community number (1 = the largest)
    modularity: float
    sizes: list[int]


def leiden(graph: nx.Graph, *, seed: int, resolution: float = 1.0, iterations: int = -1) -> Communities:
    """Leiden communities (leidenalg, modularity with resolution γ, edges weighted by ``weight``),
    reproducible for a *seed*; numbered by size, largest first, ties by their first node. The
    modularity is networkx's of that partition at the same resolution."""
    try:
        import igraph
        import leidenalg
    except ImportError as exc:
        raise MissingExtra(f"Leiden communities need igraph and leidenalg: pip install 'adminkg[analytics]' ({exc})") \
            from exc
    nodes = sorted(graph, key=str)
    if not nodes:
        return Communities({}, 0.0, [])
    index = {n: i for i, n in enumerate(nodes)}
    ig = igraph.Graph(n=len(nodes), edges=[(index[a], index[b]) for a, b in graph.edges()])
    ig.es["weight"] = [float(d.get("weight", 1)) for *_, d in graph.edges(data=True)]
    partition = leidenalg.find_partition(ig, leidenalg.RBConfigurationVertexPartition, weights="weight",
                                         resolution_parameter=resolution, n_iterations=iterations, seed=seed)
    groups = [[nodes[i] for i in members] for members in partition]
    groups.sort(key=lambda g: (-len(g), min(map(str, g))))
    membership = {n: i for i, g in enumerate(groups, 1) for n in g}
    modularity = nx.community.modularity(graph, [set(g) for g in groups], weight="weight", resolution=resolution) \
        if graph.number_of_edges() else 0.0
    return Communities(membership, modularity, [len(g) for g in groups])


def components(graph: nx.Graph) -> dict[str, int]:
    """Node → connected component number (1 = the largest; ties by their first node)."""
    comps = sorted(nx.connected_components(graph), key=lambda c: (-len(c), min(map(str, c))))
    return {n: i for i, c in enumerate(comps, 1) for n in c}


def similarity(profiles: dict[str, Counter], *, max_agencies: int, min_shared: int, top: int) -> list[dict]:
    """Pairs of agencies by technology profile (technology → number of cases): the technologies
    they share, Jaccard (shared / either, on the sets) and cosine (on the case counts). Among the
    *max_agencies* agencies with the most cases (ties by IRI); for each agency its *top* most
    similar others (by cosine, then Jaccard) sharing at least *min_shared* technologies; each pair once."""
    import numpy as np

    chosen = sorted(profiles, key=lambda a: (-sum(profiles[a].values()), a))[:max_agencies]
    techs = sorted({t for a in chosen for t in profiles[a]})
    if len(chosen) < 2 or not techs:
        return []
    col = {t: j for j, t in enumerate(techs)}
    counts = np.zeros((len(chosen), len(techs)))
    for i, a in enumerate(chosen):
        for t, c in profiles[a].items():
            counts[i, col[t]] = c
    binary = (counts > 0).astype(float)
    sizes = binary.sum(axis=1)
    norms = np.linalg.norm(counts, axis=1)
    pairs: dict[tuple[int, int], tuple[int, float, float]] = {}
    step = 512
    for start in range(0, len(chosen), step):
        block = slice(start, start + step)
        shared = binary[block] @ binary.T
        cosine = (counts[block] @ counts.T) / np.outer(norms[block], norms)
        for r in range(shared.shape[0]):
            i = start + r
            shared[r, i] = -1  # not itself
            ok = np.flatnonzero(shared[r] >= min_shared)
            if not len(ok):
                continue
            order = ok[np.lexsort((-shared[r, ok], -cosine[r, ok]))][:top]
            for j in order:
                key = (min(i, j), max(i, j))
                s = int(shared[r, j])
                pairs[key] = (s, s / (sizes[i] + sizes[j] - s), float(cosine[r, j]))
    rows = [{"agency": chosen[i], "other": chosen[j], "shared": s, "jaccard": round(jac, 6), "cosine": round(cos, 6)}
            for (i, j), (s, jac, cos) in pairs.items()]
    rows.sort(key=lambda r: (-r["cosine"], -r["jaccard"], r["agency"], r["other"]))
    return rows


def type_matrix(pairs: Iterable[tuple[str, str]], order: list[str]) -> list[list[int]]:
    """Counts of (row group, column group) pairs as a square matrix in *order*."""
    counts = Counter(pairs)
    return [[counts.get((a, b), 0) for b in order] for a in order]


def node_table(graph: nx.Graph, *, seed: int, settings: dict, full: bool = True) -> tuple[list[dict], dict]:
    """One row per node of *graph* with every measure, and a summary (communities, modularity,
    components, how betweenness was computed). *full* = False leaves out betweenness and
    constraint (the networks that are not about brokerage)."""
    deg = degrees(graph)
    comp = components(graph)
    comm = leiden(graph, seed=seed, resolution=settings["leiden_resolution"],
                  iterations=settings["leiden_iterations"])
    eig = eigenvector(graph, max_iter=settings["eigenvector_max_iter"], tol=settings["eigenvector_tol"])
    btw = con = None
    if full:
        btw = betweenness(graph, exact_max_nodes=settings["betweenness_exact_max_nodes"],
                          k=settings["betweenness_k"], seed=seed)
        con = constraint(graph)
    rows = []
    for node in sorted(graph, key=lambda n: (-deg[n][1], str(n))):
        d = graph.nodes[node]
        row = {"node": node, "label": d.get("label", node), "label_en": d.get("label_en", ""),
               "group": d.get("group", ""), "degree": deg[node][0], "weighted_degree": deg[node][1]}
        if full:
            row["betweenness"] = round(btw.values[node], 6)
            c = con[node]
            row["constraint"] = "" if math.isnan(c) else round(c, 6)
        row["eigenvector"] = round(eig[node], 6)
        row["community"] = comm.membership.get(node, 0)
        row["component"] = comp[node]
        rows.append(row)
    sizes = Counter(comp.values())
    summary = {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges(),
               "communities": len(comm.sizes), "community_sizes": comm.sizes, "modularity": round(comm.modularity, 6),
               "components": len(sizes), "largest_component": max(sizes.values(), default=0),
               "betweenness": btw.method if btw else "not computed"}
    return rows, summary
