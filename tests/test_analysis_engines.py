"""adminkg analyze at scale: on networks above ``igraph_above_nodes`` betweenness, Burt's constraint
and eigenvector centrality come from igraph, and must be networkx's numbers (the same sampled
sources and scaling for betweenness); the outputs say which measures were sampled and with what k,
and the network pictures say which nodes they drew."""
from __future__ import annotations

import json
import math
import random

import networkx as nx
import pytest

from adminkg import measures
from adminkg.analyze import analyze_data
from adminkg.networks import AnalysisData, load_config

pytest.importorskip("igraph")

SETTINGS = load_config()["measures"]


def _weighted(graph: nx.Graph, seed: int = 1) -> nx.Graph:
    rng = random.Random(seed)
    for a, b in graph.edges():
        graph.edges[a, b]["weight"] = rng.randint(1, 4)
    return graph


@pytest.fixture(scope="module")
def scale_free() -> nx.Graph:
    """300 nodes of preferential attachment, a separate pair and an isolated node, weighted edges."""
    g = _weighted(nx.barabasi_albert_graph(300, 2, seed=3))
    g.add_edge("pair-a", "pair-b", weight=2)
    g.add_node("alone")
    return g


def test_igraph_from_every_source_is_networkx_exact_betweenness(scale_free):
    exact = nx.betweenness_centrality(scale_free, normalized=True)
    every = measures.betweenness_from_sources(scale_free, list(scale_free))  # all sources "sampled"
    unrestricted = measures.betweenness_from_sources(scale_free)
    assert max(exact.values()) > 0.1
    for node, value in exact.items():
        assert every[node] == pytest.approx(value, abs=1e-12)
        assert unrestricted[node] == pytest.approx(value, abs=1e-12)


def test_igraph_sampled_betweenness_is_networkx_estimate_from_the_same_sources(scale_free):
    by_nx = measures.betweenness(scale_free, exact_max_nodes=100, k=50, seed=7, engine="networkx")
    by_ig = measures.betweenness(scale_free, exact_max_nodes=100, k=50, seed=7, engine="igraph")
    assert (by_ig.k, by_ig.engine, by_ig.nodes, by_ig.method) == (50, "igraph", 303, "sampled from k=50 source nodes")
    assert by_ig.values.keys() == by_nx.values.keys()
    for node, value in by_nx.values.items():
        assert by_ig.values[node] == pytest.approx(value, abs=1e-12)
    assert measures.betweenness(scale_free, exact_max_nodes=100, k=50, seed=7, engine="igraph") == by_ig
    other_seed = measures.betweenness(scale_free, exact_max_nodes=100, k=50, seed=8, engine="igraph")
    assert other_seed.values != by_ig.values  # the seed chooses the sources
    exact = measures.betweenness(scale_free, exact_max_nodes=1000, k=50, seed=7, engine="igraph")
    assert exact.k is None and exact.method == "exact"


def test_a_broker_found_by_both_engines():
    g = nx.Graph([("a1", "a2"), ("a2", "a3"), ("a1", "a3"), ("b1", "b2"), ("b2", "b3"), ("b1", "b3"),
                  ("a1", "x"), ("x", "b1")])
    btw = measures.betweenness(g, exact_max_nodes=100, k=3, seed=1, engine="igraph")
    assert btw.values["x"] == pytest.approx(9 / 15)  # 9 of the C(6,2) pairs of the others
    con = measures.constraint(g, engine="igraph")
    assert con["x"] == pytest.approx(0.5)
    with pytest.raises(ValueError, match="unknown engine 'graph-tool'"):
        measures.constraint(g, engine="graph-tool")


def test_igraph_constraint_and_eigenvector_are_networkx_numbers(scale_free):
    g = scale_free.copy()
    nx.add_star(g, ["hub", "s1", "s2", "s3"], weight=1)  # bipartite: power iteration needs networkx's shift
    by_nx = measures.constraint(g)
    by_ig = measures.constraint(g, engine="igraph")
    assert math.isnan(by_nx["alone"]) and math.isnan(by_ig["alone"])
    for node, value in by_nx.items():
        if not math.isnan(value):
            assert by_ig[node] == pytest.approx(value, abs=1e-12), node
    eig_nx = measures.eigenvector(g, max_iter=1000, tol=1e-9)
    eig_ig = measures.eigenvector(g, max_iter=1000, tol=1e-9, engine="igraph")
    for node, value in eig_nx.items():
        assert eig_ig[node] == pytest.approx(value, abs=1e-6), node
    assert eig_ig["alone"] == 0 and eig_ig["pair-a"] == pytest.approx(2 / g.number_of_nodes() / math.sqrt(2))
    assert eig_ig["hub"] > eig_ig["s1"] > 0


def test_a_large_network_is_measured_with_igraph_and_says_what_was_sampled(scale_free):
    settings = {**SETTINGS, "betweenness_exact_max_nodes": 100, "betweenness_k": 50, "eigenvector_tol": 1e-10}
    small = measures.node_table(scale_free, seed=7, settings={**settings, "igraph_above_nodes": 1000})[0]
    rows, summary = measures.node_table(scale_free, seed=7, settings={**settings, "igraph_above_nodes": 100})
    assert summary["engine"] == "igraph" and summary["betweenness"] == "sampled from k=50 source nodes"
    assert summary["sampled"] == {"betweenness": {"k": 50, "nodes": 303, "seed": 7}}
    assert set(summary["seconds"]) == {"degree", "components", "communities", "eigenvector", "betweenness",
                                       "constraint"}
    # the same table as networkx computes (rounded to 6 places; eigenvector: networkx's power iteration stops at tol)
    assert [r["node"] for r in rows] == [r["node"] for r in small]
    for mine, theirs in zip(rows, small):
        assert (mine["betweenness"], mine["constraint"], mine["community"]) == \
            (theirs["betweenness"], theirs["constraint"], theirs["community"])
        assert mine["eigenvector"] == pytest.approx(theirs["eigenvector"], abs=2e-6)


def test_a_readable_subset_of_a_large_network_is_connected_and_named():
    from adminkg.pictures import readable_subset

    g = nx.union(nx.star_graph(9), nx.path_graph(["p", "q", "r"]))
    keep, sentence = readable_subset(g, 4)
    assert keep == [0, 1, 2, 3]  # the hub, then its best-connected neighbours (ties by name)
    assert sentence == ("Drawn: 4 of 13 nodes, a connected part of the largest component (10 nodes) grown from "
                        "its best-connected node; the tables and networks/ hold them all.")
    assert readable_subset(g, 13) == (sorted(g, key=lambda n: (-g.degree(n), str(n))), "")
    # two partner hubs linked only through their agencies: the two best-connected nodes share no link
    two = nx.Graph([("H1", f"x{i}") for i in range(5)] + [("H2", f"y{i}") for i in range(5)] + [("x0", "y0")])
    assert readable_subset(two, 2)[0] == ["H1", "x0"]
    assert readable_subset(two, 4)[0] == ["H1", "x0", "y0", "H2"]


def _generated(leads: int, seed: int = 5) -> AnalysisData:
    """Query rows of *leads* lead agencies, each with two cases and a partner drawn from a pool
    half as large, and a technology per case (the shape of benchmarks/analysis_scale.py, small)."""
    rng = random.Random(seed)
    rows = {"analysis-bodies": [], "analysis-cases": [], "analysis-case-partners": [],
            "analysis-case-technologies": []}
    for i in range(leads):
        rows["analysis-bodies"].append({"body": f"lead{i}", "labelKo": f"기관 {i}", "typeGroup": "basic"})
        for j in range(2):
            case = f"case{i}-{j}"
            rows["analysis-cases"].append({"case": case, "lead": f"lead{i}", "year": str(2010 + (i + j) % 10)})
            rows["analysis-case-partners"].append({"case": case, "partner": f"partner{rng.randrange(leads // 2)}",
                                                   "kind": "PUBLIC_PRIVATE"})
            rows["analysis-case-technologies"].append({"case": case, "technology": rng.choice(["AI", "IOT", "WEB"])})
    return AnalysisData.from_rows(rows)


def test_the_outputs_say_which_measures_were_sampled_and_with_what_k(tmp_path):
    from shapely.geometry import box

    from adminkg.geography import Regions

    cfg = load_config()
    cfg["measures"] = {**cfg["measures"], "igraph_above_nodes": 150, "betweenness_exact_max_nodes": 150,
                       "betweenness_k": 40}
    cfg["diffusion"] = {**cfg["diffusion"], "permutations": 9}
    regions = Regions({"r1": box(0, 0, 1, 1), "r2": box(1, 0, 2, 1)}, {"r1": "P", "r2": "P"},
                      {"r1": "일", "r2": "이"}, {"r1": {"r2"}, "r2": {"r1"}})
    report = analyze_data(_generated(120), out=tmp_path, seed=3, regions=regions, config=cfg, source="generated",
                          font=None)
    nets = report.summary["networks"]
    assert nets["agency-partner"]["nodes"] > 150 and nets["agency-partner"]["engine"] == "igraph"
    assert nets["agency-agency"]["nodes"] <= 150 and nets["agency-agency"]["engine"] == "networkx"
    assert nets["agency-agency"]["betweenness"] == "exact"
    assert report.summary["sampled"] == [{"network": "agency-partner", "measure": "betweenness", "k": 40,
                                          "nodes": nets["agency-partner"]["nodes"], "seed": 3}]
    note = (f"sampled: betweenness of the agency-partner network from k=40 source nodes of its "
            f"{nets['agency-partner']['nodes']} (seed 3, scaled as networkx's estimate); every other measure is exact")
    assert note in report.notes
    assert any(n.startswith("measured with igraph") and "agency-partner" in n for n in report.notes)
    assert json.loads(report.files["summary"].read_text(encoding="utf-8"))["sampled"] == report.summary["sampled"]
    assert "sampled: betweenness of the agency-partner network from k=40" in \
        report.files["report"].read_text(encoding="utf-8")


def test_measures_rdf_writes_decimals_in_plain_notation(tmp_path):
    from datetime import UTC, datetime

    import pyoxigraph as ox

    from adminkg.writeback import GRAPH, analysis_dataset, write_dataset

    node = "https://w3id.org/adminkg/agency/11"
    rows = [{"node": node, "degree": 2, "weighted_degree": 3.0, "betweenness": 1e-06, "constraint": "",
             "eigenvector": 0.25, "community": 1}]
    now = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    quads = analysis_dataset({"agency-agency": rows, "technology": [{"node": "AI", "degree": 1}]},
                             [{"technology": "AI", "first_adopter_iris": node}], {"AI": "https://example.org/AI"},
                             started=now, ended=now, seed=3, min_confidence=0.5, source="test")
    path = write_dataset(quads, tmp_path / "measures.trig")
    store = ox.Store()
    store.load(path.read_bytes(), format=ox.RdfFormat.TRIG)
    got = {r["p"].value.rsplit("#", 1)[-1]: r["v"] for r in store.query(
        "SELECT ?p ?v WHERE { GRAPH ?g { ?pos <http://www.w3.org/ns/prov#agent> ?a ; ?p ?v } }")}
    assert got["betweenness"].value == "0.000001" and got["betweenness"].datatype.value.endswith("#decimal")
    assert got["eigenvectorCentrality"].value == "0.25" and got["degree"].value == "2"
    assert "constraint" not in got  # an isolated node's constraint is undefined: no triple
    assert len(list(store.quads_for_pattern(ox.NamedNode(node), None, None, GRAPH))) == 1  # first adopter of AI
    assert sum(1 for q in store if q.object == ox.Literal("technology")) == 0  # technologies have no positions
