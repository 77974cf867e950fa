"""Network measures on networkx graphs: each returns plain values a table can hold, and says in
one sentence (:data:`EXPLAIN`, from analysis.toml) what it measures.

Leiden communities come from ``leidenalg`` on an ``igraph`` copy of the networkx graph (the
``analytics`` extra); networkx stays the graph researchers see. Betweenness, Burt's constraint and
eigenvector centrality have two engines computing the same definitions: ``networkx`` (what a
researcher would call on the graph) and ``igraph`` (in C, on a copy; :func:`node_table` chooses it
for networks above ``igraph_above_nodes``, where networkx runs for minutes or hours).
"""
from __future__ import annotations

import math
import random
import time
import warnings
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx

from .errors import AdminKGError

ENGINES = ("networkx", "igraph")


class MissingExtra(AdminKGError):
    """A measure needs a package of the ``analytics`` extra that is not installed."""


def _import_igraph(what: str):
    try:
        import igraph
    except ImportError as exc:
        raise MissingExtra(f"{what} needs igraph: pip install 'adminkg[analytics]' ({exc})") from exc
    return igraph


def to_igraph(graph: nx.Graph, nodes: list | None = None, *, what: str = "this measure"):
    """An undirected igraph copy of *graph* whose vertex *i* is ``nodes[i]`` (default: the graph's
    node order) and whose edges carry ``weight`` (1 where the networkx edge has none)."""
    igraph = _import_igraph(what)
    nodes = list(graph) if nodes is None else nodes
    index = {n: i for i, n in enumerate(nodes)}
    ig = igraph.Graph(n=len(nodes), edges=[(index[a], index[b]) for a, b in graph.edges()])
    ig.es["weight"] = [float(d.get("weight", 1)) for *_, d in graph.edges(data=True)]
    return ig


def _check_engine(engine: str) -> None:
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}: one of {', '.join(ENGINES)}")


def degrees(graph: nx.Graph) -> dict[str, tuple[int, float]]:
    """Node → (degree, weighted degree: the sum of its edges' ``weight``)."""
    weighted = dict(graph.degree(weight="weight"))
    return {n: (d, weighted[n]) for n, d in graph.degree()}


@dataclass(frozen=True)
class Betweenness:
    values: dict[str, float]
    k: int | None  # None = exact; else the number of sampled source nodes
    engine: str = "networkx"
    nodes: int = 0  # of the graph: k sources of how many

    @property
    def method(self) -> str:
        return "exact" if self.k is None else f"sampled from k={self.k} source nodes"


def betweenness(graph: nx.Graph, *, exact_max_nodes: int, k: int, seed: int, engine: str = "networkx") -> Betweenness:
    """Normalised betweenness centrality (shortest paths by hops): exact up to *exact_max_nodes*
    nodes, above that estimated from *k* source nodes drawn with *seed* (Brandes' pivots).

    Both engines give networkx's numbers: ``igraph`` draws the same *k* sources as
    ``networkx.betweenness_centrality(graph, k=k, seed=seed)`` (``random.Random(seed).sample`` of the
    node list) and scales as it does (:func:`betweenness_from_sources`), only in C rather than Python."""
    _check_engine(engine)
    n = graph.number_of_nodes()
    sample = None if n <= exact_max_nodes or k >= n else k
    if engine == "networkx":
        values = nx.betweenness_centrality(graph, k=sample, normalized=True, seed=seed)
    else:
        sources = None if sample is None else random.Random(seed).sample(list(graph), sample)
        values = betweenness_from_sources(graph, sources)
    return Betweenness(values, sample, engine, n)


def betweenness_from_sources(graph: nx.Graph, sources: list | None = None) -> dict[str, float]:
    """networkx's normalised betweenness estimate from the shortest paths that start at *sources*
    (``None``: every node, the exact value), computed by igraph's ``Graph.betweenness(sources=…)``.
    igraph counts a path between two sources once where networkx, summing per source, counts it
    twice; networkx then divides by (k − 1)(n − 2) for a source (it starts none of the paths through
    itself) and by k(n − 2) for any other node, k the number of sources (n − 1 when exact)."""
    nodes = list(graph)
    n = len(nodes)
    if n < 3:
        return dict.fromkeys(nodes, 0.0)
    ig = to_igraph(graph, nodes, what="betweenness with igraph")
    if sources is None:
        counts = ig.betweenness(directed=False)
        return {v: 2 * counts[i] / ((n - 1) * (n - 2)) for i, v in enumerate(nodes)}
    index = {v: i for i, v in enumerate(nodes)}
    counts = ig.betweenness(directed=False, sources=[index[v] for v in sources])
    k, chosen = len(sources), set(sources)
    per_source = 2 / ((k - 1) * (n - 2)) if k > 1 else math.nan
    per_other = 2 / (k * (n - 2))
    return {v: counts[i] * (per_source if v in chosen else per_other) for i, v in enumerate(nodes)}


def constraint(graph: nx.Graph, *, engine: str = "networkx") -> dict[str, float]:
    """Burt's constraint (weighted by ``weight``): high for a node whose contacts all know each
    other, low for a broker between otherwise unconnected contacts; NaN for an isolated node.
    ``igraph``'s ``Graph.constraint`` computes the same sums (p_ij from a_ij + a_ji, as networkx)."""
    _check_engine(engine)
    if engine == "networkx":
        return {n: float(v) for n, v in nx.constraint(graph, weight="weight").items()}
    nodes = list(graph)
    if not nodes:
        return {}
    ig = to_igraph(graph, nodes, what="Burt's constraint with igraph")
    values = ig.constraint(weights="weight")
    isolated = {n for n in nodes if not graph.degree(n)}
    return {n: math.nan if n in isolated else float(values[i]) for i, n in enumerate(nodes)}


def eigenvector(graph: nx.Graph, *, max_iter: int, tol: float, engine: str = "networkx") -> dict[str, float]:
    """Eigenvector centrality (weighted), computed per connected component and scaled by the
    component's share of the nodes, so that a small component's centre does not rank with the
    largest one's; a graph without edges gives zeros. Within a component the vector has unit
    length (networkx's scaling); ``igraph`` finds it with ARPACK instead of networkx's power
    iteration (which stops at *tol*, so the two agree to about that)."""
    _check_engine(engine)
    if engine == "igraph":
        return _eigenvector_igraph(graph)
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


def _eigenvector_igraph(graph: nx.Graph) -> dict[str, float]:
    nodes = list(graph)
    n = len(nodes)
    out = dict.fromkeys(nodes, 0.0)
    if not graph.number_of_edges():
        return out
    ig = to_igraph(graph, nodes, what="eigenvector centrality with igraph")
    for members in ig.connected_components():
        if len(members) < 2:
            continue
        if len(members) == 2:  # one edge: both ends 1/√2 whatever its weight
            values = [1.0, 1.0]
        else:
            with warnings.catch_warnings():  # "not meaningful for disconnected graphs": this one is connected
                warnings.filterwarnings("ignore", "Some eigenvector centralities are nearly zero", RuntimeWarning)
                values = ig.induced_subgraph(members).eigenvector_centrality(weights="weight")
        norm = math.sqrt(sum(v * v for v in values)) or 1.0
        share = len(members) / n
        for i, v in zip(members, values):
            out[nodes[i]] = v / norm * share
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
        import igraph  # noqa: F401
        import leidenalg
    except ImportError as exc:
        raise MissingExtra(f"Leiden communities need igraph and leidenalg: pip install 'adminkg[analytics]' ({exc})") \
            from exc
    nodes = sorted(graph, key=str)
    if not nodes:
        return Communities({}, 0.0, [])
    ig = to_igraph(graph, nodes, what="Leiden communities")
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
    components, how betweenness was computed, which engine computed betweenness, constraint and
    eigenvector centrality, what was sampled, seconds per measure). *full* = False leaves out
    betweenness and constraint (the networks that are not about brokerage). A graph of more than
    ``igraph_above_nodes`` nodes is measured with igraph (see the module's docstring)."""
    engine = "igraph" if graph.number_of_nodes() > settings["igraph_above_nodes"] else "networkx"
    seconds: dict[str, float] = {}

    def timed(name: str, run):
        started = time.perf_counter()
        value = run()
        seconds[name] = round(time.perf_counter() - started, 3)
        return value

    deg = timed("degree", lambda: degrees(graph))
    comp = timed("components", lambda: components(graph))
    comm = timed("communities", lambda: leiden(graph, seed=seed, resolution=settings["leiden_resolution"],
                                               iterations=settings["leiden_iterations"]))
    eig = timed("eigenvector", lambda: eigenvector(graph, max_iter=settings["eigenvector_max_iter"],
                                                   tol=settings["eigenvector_tol"], engine=engine))
    btw = con = None
    if full:
        btw = timed("betweenness", lambda: betweenness(graph, exact_max_nodes=settings["betweenness_exact_max_nodes"],
                                                       k=settings["betweenness_k"], seed=seed, engine=engine))
        con = timed("constraint", lambda: constraint(graph, engine=engine))
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
    sampled = {"betweenness": {"k": btw.k, "nodes": btw.nodes, "seed": seed}} if btw and btw.k else {}
    summary = {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges(),
               "communities": len(comm.sizes), "community_sizes": comm.sizes, "modularity": round(comm.modularity, 6),
               "components": len(sizes), "largest_component": max(sizes.values(), default=0),
               "betweenness": btw.method if btw else "not computed", "engine": engine, "sampled": sampled,
               "seconds": seconds}
    return rows, summary
