"""Technology diffusion as data: who adopted a technology first, how adopters accumulate year by
year, how it spread from province to province, whether 시군구 adopt after their neighbours more
often than chance would have it, and a discrete-time event-history table for a logit or Cox model.

An agency *adopts* a technology in the first year of a kept case of its with that technology;
cases without a year cannot date an adoption and are counted as left out.
"""
from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass

from .networks import AnalysisData


@dataclass
class Adoptions:
    """technology → agency → first year; and the technology cases that could not be dated."""

    first_year: dict[str, dict[str, int]]
    cases: set[str]                   # technology cases with a year (the adoptions' evidence)
    undated: set[str]                 # technology cases without a year


def adoptions(data: AnalysisData) -> Adoptions:
    first: dict[str, dict[str, int]] = defaultdict(dict)
    dated, undated = set(), set()
    for case_iri, code in data.technologies:
        case = data.cases[case_iri]
        if case.year is None:
            undated.add(case_iri)
            continue
        dated.add(case_iri)
        seen = first[code].get(case.lead)
        if seen is None or case.year < seen:
            first[code][case.lead] = case.year
    return Adoptions({t: dict(a) for t, a in sorted(first.items())}, dated, undated - dated)


def first_adopters(adopt: Adoptions, data: AnalysisData) -> list[dict]:
    """Per technology: its first year and the agencies that adopted it then (ties all listed)."""
    rows = []
    for tech, by_agency in adopt.first_year.items():
        year = min(by_agency.values())
        firsts = sorted(a for a, y in by_agency.items() if y == year)
        rows.append({"technology": tech, "label": data.tech_labels.get(tech, (tech, tech))[0], "year": year,
                     "first_adopters": "|".join(data.bodies[a].ko for a in firsts),
                     "first_adopter_iris": "|".join(firsts), "adopters": len(by_agency)})
    return rows


def adoption_curves(adopt: Adoptions) -> list[dict]:
    """Per technology and year from its first to its last adoption: new and cumulative adopters."""
    rows = []
    for tech, by_agency in adopt.first_year.items():
        per_year = defaultdict(int)
        for y in by_agency.values():
            per_year[y] += 1
        total = 0
        for year in range(min(per_year), max(per_year) + 1):
            total += per_year.get(year, 0)
            rows.append({"technology": tech, "year": year, "new_adopters": per_year.get(year, 0),
                         "cumulative_adopters": total})
    return rows


def province_spread(adopt: Adoptions, data: AnalysisData) -> list[dict]:
    """Per technology and province: the year it first reached the province (any of its bodies), the
    order in which provinces were reached (ties share a rank) and how many of its bodies adopted."""
    rows = []
    for tech, by_agency in adopt.first_year.items():
        reached: dict[str, list[int]] = defaultdict(list)
        for agency, year in by_agency.items():
            province = data.bodies[agency].province
            if province:
                reached[province].append(year)
        firsts = sorted({min(ys) for ys in reached.values()})
        for province, years in sorted(reached.items(), key=lambda kv: (min(kv[1]), kv[0])):
            body = data.bodies.get(province)
            rows.append({"technology": tech, "province": body.ko if body else province, "province_iri": province,
                         "first_year": min(years), "order": firsts.index(min(years)) + 1, "adopters": len(years)})
    return rows


def region_adoptions(adopt: Adoptions, data: AnalysisData, regions: set[str]) -> dict[str, dict[str, int]]:
    """technology → 시군구 (of *regions*) → first year any body of that 시군구 adopted it."""
    out: dict[str, dict[str, int]] = {}
    for tech, by_agency in adopt.first_year.items():
        per_region: dict[str, int] = {}
        for agency, year in by_agency.items():
            region = data.bodies[agency].sigungu
            if region in regions and (region not in per_region or year < per_region[region]):
                per_region[region] = year
        if per_region:
            out[tech] = per_region
    return out


def neighbour_effect(adopted: dict[str, dict[str, int]], neighbours: dict[str, set[str]], *, permutations: int,
                     seed: int) -> list[dict]:
    """The share of adopting 시군구 that had a neighbour adopt the same technology in an earlier
    year, against the share expected by chance: a permutation test that moves each technology's
    adopters to 시군구 drawn at random (without replacement, keeping the years), *permutations*
    times with *seed*. One row per technology and one pooled row (``technology`` = ``*``);
    ``p_value`` = (1 + permutations at least as high) / (1 + permutations), one-sided."""
    import numpy as np

    names = sorted(neighbours)
    index = {n: i for i, n in enumerate(names)}
    width = max((len(v) for v in neighbours.values()), default=0) or 1
    pad = len(names)  # an extra cell that never adopted
    nbr = np.full((len(names), width), pad, dtype=np.int64)
    for n, others in neighbours.items():
        idx = sorted(index[o] for o in others if o in index)
        nbr[index[n], :len(idx)] = idx
    rng = np.random.default_rng(seed)
    techs = sorted(t for t, a in adopted.items() if any(r in index for r in a))

    def count(sites: np.ndarray, years: np.ndarray) -> int:
        year_of = np.full(len(names) + 1, np.inf)
        year_of[sites] = years
        earliest = year_of[nbr[sites]].min(axis=1)
        return int((earliest < years).sum())

    observed, sims, sizes = {}, {}, {}
    for tech in techs:
        pairs = sorted((index[r], y) for r, y in adopted[tech].items() if r in index)
        sites = np.array([p[0] for p in pairs], dtype=np.int64)
        years = np.array([p[1] for p in pairs], dtype=float)
        sizes[tech] = len(pairs)
        observed[tech] = count(sites, years)
        sims[tech] = np.array([count(rng.choice(len(names), size=len(sites), replace=False), years)
                               for _ in range(permutations)])
    rows = []

    def row(label: str, obs: int, sim: np.ndarray, n: int) -> dict:
        return {"technology": label, "adopters": n, "with_earlier_neighbour": obs,
                "share": round(obs / n, 6) if n else 0.0,
                "expected_share": round(float(sim.mean()) / n, 6) if n and len(sim) else 0.0,
                "p_value": round((1 + int((sim >= obs).sum())) / (1 + len(sim)), 6), "permutations": len(sim)}

    for tech in techs:
        rows.append(row(tech, observed[tech], sims[tech], sizes[tech]))
    if techs:
        pooled = np.sum([sims[t] for t in techs], axis=0)
        rows.append(row("*", sum(observed.values()), pooled, sum(sizes.values())))
    return rows


def event_history(adopt: Adoptions, data: AnalysisData, neighbours: dict[str, set[str]],
                  province_of: dict[str, str], label_of: dict[str, str]) -> list[dict]:
    """The discrete-time event-history table: one row per technology, 시군구 at risk and year, from
    the technology's first adoption anywhere to the last year of the data, until the 시군구 adopts
    (that year's row has ``adopted`` 1 and is its last). Covariates: how many of its neighbours had
    adopted before that year (and their share), whether its province's own government had, and how
    many agencies anywhere had."""
    last_year = max((c.year for c in data.cases.values() if c.year is not None), default=None)
    regions = set(neighbours)
    by_region = region_adoptions(adopt, data, regions)
    rows = []
    for tech, by_agency in adopt.first_year.items():
        start = min(by_agency.values())
        adopted = by_region.get(tech, {})
        national = sorted(by_agency.values())
        for region in sorted(regions):
            province = province_of.get(region, "")
            upper = by_agency.get(province)
            stop = adopted.get(region, last_year)
            for year in range(start, (stop or start) + 1):
                before = [n for n in neighbours[region] if adopted.get(n, 9999) < year]
                degree = len(neighbours[region])
                rows.append({
                    "technology": tech, "region": region, "label": label_of.get(region, region),
                    "province": province, "year": year, "adopted": int(adopted.get(region) == year),
                    "neighbours": degree, "neighbours_adopted_before": len(before),
                    "neighbour_share_before": round(len(before) / degree, 6) if degree else 0.0,
                    "province_adopted_before": int(upper is not None and upper < year),
                    "agencies_adopted_before": bisect.bisect_left(national, year)})
    return rows
