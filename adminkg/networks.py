"""The networks of the graph analysis, as networkx graphs built from library queries.

The rows come from ``queries/analysis-*.rq`` (never from walking triples): :func:`load_data` runs
them on a graph opened with :func:`adminkg.open_graph` and :meth:`AnalysisData.from_rows` keeps
what passes the confidence threshold, counting what it leaves out and why (the honest
denominators every table and picture states). :func:`build_networks` then makes

* ``agency_partner`` — lead agencies and their partners (bipartite; edges carry the kinds of
  collaboration and the cases behind them);
* ``agency_agency`` — public bodies linked by a joint case (one leads a case the other is a public
  partner in), a shared partner, or awards in the same contest;
* ``agency_technology`` — lead agencies and the technologies of their cases (bipartite);
* ``technology`` — technologies used together in one case;
* ``province`` — the agency–agency links summed per pair of provinces.
"""
from __future__ import annotations

import itertools
import tomllib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

CONFIG_FILE = Path(__file__).with_name("analysis.toml")
QUERIES = ("analysis-cases", "analysis-case-partners", "analysis-case-technologies", "analysis-case-contests",
           "analysis-bodies", "analysis-local-codes")


def load_config(path: Path | str | None = None) -> dict:
    """The analysis settings (``adminkg/analysis.toml``)."""
    with open(path or CONFIG_FILE, "rb") as fh:
        return tomllib.load(fh)


@dataclass(frozen=True)
class Body:
    """An organisation that leads a case or is a partner in one."""

    iri: str
    ko: str
    en: str = ""
    group: str = "private"  # one of the type groups of analysis.toml (basic, metropolitan, central, …)
    province: str = ""      # IRI of the metropolitan government it is or belongs to
    sigungu: str = ""       # IRI of the 시군구 it is or is a district of


@dataclass(frozen=True)
class Case:
    iri: str
    lead: str
    year: int | None


@dataclass
class AnalysisData:
    """What the analysis reads: bodies, the cases kept, their partners, technologies and contests,
    and what was left out (cases per reason, facts per kind) with the threshold that applied."""

    bodies: dict[str, Body]
    cases: dict[str, Case]
    partners: list[tuple[str, str, str]]        # (case, partner, kind notation or "")
    technologies: list[tuple[str, str]]         # (case, technology notation)
    contests: list[tuple[str, str, str]]        # (case, contest, name)
    tech_labels: dict[str, tuple[str, str]]     # notation → (Korean, English)
    tech_concepts: dict[str, str] = field(default_factory=dict)  # notation → concept IRI
    local_codes: list[dict] = field(default_factory=list)  # rows of analysis-local-codes
    min_confidence: float = 0.0
    total_cases: int = 0
    cases_left_out: Counter = field(default_factory=Counter)  # reason → cases
    facts_left_out: Counter = field(default_factory=Counter)  # kind → facts below the threshold

    @classmethod
    def from_rows(cls, rows: dict[str, list[dict]], *, min_confidence: float = 0.0,
                  type_groups: dict[str, str] | None = None) -> AnalysisData:
        """Keep the rows of the ``analysis-*`` queries (keyed by query name) that reach
        *min_confidence*: a case whose own or lead agency's confidence is below it is left out
        whole, a partner, technology or award below it alone; rows without a confidence are kept
        (as ``adminkg build --min-confidence`` keeps them). *type_groups* maps the top agency-type
        notation to a group of the collaboration matrix (default: analysis.toml)."""
        groups = type_groups if type_groups is not None else load_config()["type_groups"]["of"]

        def below(value) -> bool:
            return value is not None and value != "" and float(value) < min_confidence

        bodies = {}
        for r in rows.get("analysis-bodies", []):
            group = groups.get(r.get("typeGroup") or "", groups.get("", "private"))
            bodies[r["body"]] = Body(r["body"], r.get("labelKo") or r["body"], r.get("labelEn") or "", group,
                                     r.get("province") or "", r.get("sigungu") or "")
        cases: dict[str, Case] = {}
        left_out: Counter = Counter()
        all_cases = set()
        for r in rows.get("analysis-cases", []):
            all_cases.add(r["case"])
            if below(r.get("caseConfidence")) or below(r.get("leadConfidence")):
                left_out["below the confidence threshold"] += 1
                continue
            year = r.get("year")
            cases[r["case"]] = Case(r["case"], r["lead"], int(year) if year not in (None, "") else None)
        facts: Counter = Counter()

        def kept(kind: str, r: dict) -> bool:
            if r["case"] not in cases:
                return False
            if below(r.get("confidence")):
                facts[kind] += 1
                return False
            return True

        partners = sorted({(r["case"], r["partner"], r.get("kind") or "")
                           for r in rows.get("analysis-case-partners", [])
                           if kept("partner", r) and r["partner"] != cases[r["case"]].lead})
        technologies = sorted({(r["case"], r["technology"]) for r in rows.get("analysis-case-technologies", [])
                               if kept("technology", r)})
        labels: dict[str, tuple[str, str]] = {}
        for r in rows.get("analysis-case-technologies", []):
            if r.get("labelKo") or r["technology"] not in labels:
                labels[r["technology"]] = (r.get("labelKo") or r["technology"], r.get("labelEn") or r["technology"])
        concepts = {r["technology"]: r["concept"]
                    for r in rows.get("analysis-case-technologies", []) if r.get("concept")}
        contests = sorted({(r["case"], r["contest"], r.get("name") or "")
                           for r in rows.get("analysis-case-contests", [])
                           if kept("award", r)})
        for iri in {c.lead for c in cases.values()} | {p for _, p, _ in partners}:
            bodies.setdefault(iri, Body(iri, iri.rsplit("/", 1)[-1]))
        return cls(bodies, cases, partners, technologies, contests, labels, concepts,
                   list(rows.get("analysis-local-codes", [])), min_confidence, len(all_cases), left_out, facts)

    def coverage(self, used: Iterable[str], what: str, *, reasons: dict[str, int] | None = None) -> str:
        """One sentence: how many cases *used* covers of all cases, and how many were left out and why."""
        used = set(used)
        parts = [f"{n} {reason}" for reason, n in sorted(self.cases_left_out.items()) if n]
        parts += [f"{n} {reason}" for reason, n in (reasons or {}).items() if n]
        if self.min_confidence:
            dropped = ", ".join(f"{n} {k} facts" for k, n in sorted(self.facts_left_out.items()) if n)
            if dropped:
                parts.append(f"below confidence {self.min_confidence:g} also: {dropped}")
        out = f"{what}: {len(used)} of {self.total_cases} cases"
        return out + (f"; left out: {'; '.join(parts)}" if parts else "")


def load_data(kg, *, min_confidence: float = 0.0, progress: Callable[[str], None] | None = None) -> AnalysisData:
    """Run the analysis queries on *kg* (an :class:`adminkg.api.KnowledgeGraph`) and keep what passes
    *min_confidence*."""
    rows = {}
    for name in QUERIES:
        if progress:
            progress(f"query {name}")
        rows[name] = kg.query(name).rows
    return AnalysisData.from_rows(rows, min_confidence=min_confidence)


@dataclass
class Networks:
    agency_partner: nx.Graph
    agency_agency: nx.Graph
    agency_technology: nx.Graph
    technology: nx.Graph
    province: nx.Graph
    hubs: list[str] = field(default_factory=list)  # partners and contests too widely shared to link agencies

    def items(self):
        return [("agency-partner", self.agency_partner), ("agency-agency", self.agency_agency),
                ("agency-technology", self.agency_technology), ("technology", self.technology),
                ("province", self.province)]


def _node(graph: nx.Graph, body: Body, **extra) -> None:
    if body.iri not in graph:
        graph.add_node(body.iri, label=body.ko, label_en=body.en or body.ko, group=body.group,
                       province=body.province, **extra)


def _add_case(graph: nx.Graph, a: str, b: str, case: Case, kind: str = "", **counts) -> None:
    """Add *case* to the edge a–b: its weight counts distinct cases, ``cases`` lists them,
    ``start`` is the earliest year (the dynamic GEXF's timeline)."""
    if graph.has_edge(a, b):
        data = graph.edges[a, b]
    else:
        graph.add_edge(a, b, weight=0, cases=set(), kinds=set(), start=None)
        data = graph.edges[a, b]
    for key, n in counts.items():
        data[key] = data.get(key, 0) + n
    if case.iri not in data["cases"]:
        data["cases"].add(case.iri)
        data["weight"] += 1
    if kind:
        data["kinds"].add(kind)
    if case.year is not None and (data["start"] is None or case.year < data["start"]):
        data["start"] = case.year


def _start_years(graph: nx.Graph) -> None:
    """A node starts with its earliest edge."""
    for node in graph:
        years = [d["start"] for *_, d in graph.edges(node, data=True) if d.get("start") is not None]
        graph.nodes[node]["start"] = min(years) if years else None


def build_networks(data: AnalysisData, *, max_leads: int | None = None) -> Networks:
    """The five networks of *data* (see the module's docstring). A partner or contest shared by more
    than *max_leads* lead agencies (default: analysis.toml's ``projection_max_leads``) links none of
    them (its clique would be the network): such hubs are listed in ``Networks.hubs``."""
    if max_leads is None:
        max_leads = load_config()["measures"]["projection_max_leads"]
    bodies, cases = data.bodies, data.cases
    ap = nx.Graph(name="agency-partner")
    for case_iri, partner, kind in data.partners:
        case = cases[case_iri]
        _node(ap, bodies[case.lead], bipartite=0)
        _node(ap, bodies[partner], bipartite=1)
        _add_case(ap, case.lead, partner, case, kind)
    _start_years(ap)

    aa = nx.Graph(name="agency-agency")
    for case_iri, partner, _kind in data.partners:  # joint cases: a public partner of a lead agency
        case = cases[case_iri]
        if bodies[partner].group != "private":
            _node(aa, bodies[case.lead])
            _node(aa, bodies[partner])
            _add_case(aa, case.lead, partner, case, "joint case", joint_cases=1)
    by_partner: dict[str, dict[str, list[Case]]] = defaultdict(lambda: defaultdict(list))
    for case_iri, partner, _kind in data.partners:
        case = cases[case_iri]
        if case.lead != partner:
            by_partner[partner][case.lead].append(case)
    hubs = []

    def link(cases_of: dict[str, list[Case]], what: str, via: str, kind: str) -> None:
        """Link every pair of leads that share *what* (a partner or a contest) through their cases;
        *what* shared by more than max_leads leads links none of them (a hub, named in the notes)."""
        if len(cases_of) > max_leads:
            hubs.append(what)
            return
        for lead in cases_of:
            _node(aa, bodies[lead])
        for a, b in itertools.combinations(sorted(cases_of), 2):
            for c in cases_of[a] + cases_of[b]:
                _add_case(aa, a, b, c, kind)
            aa.edges[a, b].setdefault(via, set()).add(what)

    for partner, cases_of in by_partner.items():  # shared partners
        link(cases_of, partner, "partners", "shared partner")
    by_contest = defaultdict(list)
    for case_iri, contest, _name in data.contests:
        by_contest[contest].append(cases[case_iri])
    for contest, told in by_contest.items():  # co-awards in one contest
        cases_of = defaultdict(list)
        for c in told:
            cases_of[c.lead].append(c)
        link(cases_of, contest, "contests", "co-award")
    for *_, d in aa.edges(data=True):
        d["shared_partners"] = len(d.pop("partners", ()))
        d["co_awards"] = len(d.pop("contests", ()))
        d.setdefault("joint_cases", 0)
    _start_years(aa)

    at = nx.Graph(name="agency-technology")
    tech = nx.Graph(name="technology")
    techs_of = defaultdict(set)
    for case_iri, code in data.technologies:
        techs_of[case_iri].add(code)
    for case_iri, codes in sorted(techs_of.items()):
        case = cases[case_iri]
        _node(at, bodies[case.lead], bipartite=0)
        for code in sorted(codes):
            ko, en = data.tech_labels.get(code, (code, code))
            for g in (at, tech):
                if code not in g:
                    g.add_node(code, label=ko, label_en=en, group="technology", province="", bipartite=1)
            _add_case(at, case.lead, code, case)
        for a, b in itertools.combinations(sorted(codes), 2):
            _add_case(tech, a, b, case)
    _start_years(at)
    _start_years(tech)

    prov = nx.Graph(name="province")
    for a, b, d in aa.edges(data=True):
        pa, pb = bodies[a].province, bodies[b].province
        if not pa or not pb:
            continue
        for p in (pa, pb):
            if p not in prov:
                body = bodies.get(p) or Body(p, p.rsplit("/", 1)[-1])
                prov.add_node(p, label=body.ko, label_en=body.en or body.ko, group="metropolitan", province=p,
                              links_within=0)
        if pa == pb:
            prov.nodes[pa]["links_within"] += 1
        elif prov.has_edge(pa, pb):
            prov.edges[pa, pb]["weight"] += 1
            prov.edges[pa, pb]["cases"] |= d["cases"]
        else:
            prov.add_edge(pa, pb, weight=1, cases=set(d["cases"]), kinds=set(), start=d["start"])
    for p, n in Counter(bodies[c.lead].province for c in cases.values() if bodies[c.lead].province).items():
        if p in prov:
            prov.nodes[p]["cases"] = n
    _start_years(prov)
    return Networks(ap, aa, at, tech, prov, sorted(hubs))


def export_graph(graph: nx.Graph) -> nx.Graph:
    """A copy of *graph* whose attributes GraphML and GEXF can hold: sets joined with ``|``, no
    ``None`` (a missing start year is left out)."""
    out = nx.Graph(name=graph.graph.get("name", ""))
    for node, d in graph.nodes(data=True):
        out.add_node(node, **_plain(d))
    for a, b, d in graph.edges(data=True):
        out.add_edge(a, b, **_plain(d))
    return out


def _plain(attrs: dict) -> dict:
    plain = {}
    for key, value in attrs.items():
        if value is None:
            continue
        if isinstance(value, set | frozenset | list | tuple):
            value = "|".join(sorted(map(str, value)))
        plain[key] = value
    return plain
