"""Extraction quality where it proves something: 5-fold document-level cross-validation on the dev
set (../shared/corpus, 321 documents, 1,124 hand-annotated cases) and the validation archive
(scored by ../shared/tools/score_validation.sh, never read), each held at floors; the
published graph data/ttl/cases.ttl checked against the documents it cites; and documents of our own
writing (tests/fixtures/documents, tests/fixtures/failures: one or two of issue 10's kinds of failure
each), scored against our own annotation and checked for the specific wrong things of each kind."""
from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from decimal import Decimal
from types import SimpleNamespace

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import PROV, RDF

from adminkg import paths
from adminkg.namespaces import AKG

from .conftest import run_cli
from .test_loader import check_spans

# The targets (F1), on documents the model did not learn from: 5-fold document-level
# cross-validation on the dev set, and the validation archive (scored, never read).
TARGETS = {"cases": 0.85, "agency": 0.90, "titles": 0.80, "technologies": 0.80, "departments": 0.75,
           "awards": 0.70, "grades": 0.80, "contests": 0.70, "partners": 0.65, "beneficiaries": 0.60}
# Known gaps as data: the floor each field must not fall under (the score measured when the gap was
# recorded, minus a little), per set. Fields at their target have no floor here.
_OPEN = "issue 10: extraction below its target on unseen documents"
CV_FLOORS: dict[str, float] = {
    "cases": 0.785, "agency": 0.807, "titles": 0.643, "technologies": 0.608, "departments": 0.613,
    "awards": 0.625, "grades": 0.692, "contests": 0.665, "partners": 0.397, "beneficiaries": 0.519,
}
VALIDATION_FLOORS: dict[str, float] = {  # 40 documents, 109 cases: a wider margin (0.03)
    "cases": 0.67, "agency": 0.72, "titles": 0.38, "technologies": 0.36, "departments": 0.50, "awards": 0.49,
    "grades": 0.58, "contests": 0.52, "partners": 0.25, "beneficiaries": 0.13,
}


@pytest.fixture(scope="module")
def cv_scores(shared):
    """`adminkg evaluate --folds 5` on the dev set: every document scored by a model that did not
    learn from it (nor from a document telling the same story or contest)."""
    done = run_cli("evaluate", "--gold", str(shared / "corpus" / "gold.json"), "--corpus", str(shared / "corpus"),
                   "--folds", "5", "--json")
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout)
    for field, s in result.items():
        print(f"{field:<14}{s['precision']:7.3f}{s['recall']:7.3f}{s['f1']:7.4f}")
    return {field: s["f1"] for field, s in result.items()}


@pytest.fixture(scope="module")
def validation_scores(shared):
    """../shared/tools/score_validation.sh: the 40 validation documents built with this code and
    scored; only the aggregate `score:` line is read."""
    script = shared / "tools" / "score_validation.sh"
    if not script.exists():
        pytest.skip("no validation scorer in ../shared/tools")
    done = subprocess.run(["bash", str(script)], cwd=paths.ROOT, capture_output=True, text=True, timeout=600)
    line = next((x for x in done.stdout.splitlines() if x.startswith("score: ")), None)
    assert line is not None, done.stdout[-1000:] + done.stderr[-1000:]
    return {k: float(v) for k, v in (item.split("=") for item in line[len("score: "):].split())}


def _hold(score: float, field: str, floors: dict[str, float], where: str) -> None:
    if field in floors:
        assert score >= floors[field], f"{field} F1 {score:.3f} fell below its {where} floor {floors[field]}"
        if score < TARGETS[field]:
            pytest.xfail(f"{field} F1 {score:.4f} < target {TARGETS[field]} ({where}): {_OPEN}")
    assert score >= TARGETS[field]


@pytest.mark.parametrize("field", list(TARGETS))
def test_cross_validated_score(cv_scores, field):
    _hold(cv_scores[field], field, CV_FLOORS, "cross-validation")


@pytest.mark.parametrize("field", list(TARGETS))
def test_validation_score(validation_scores, field):
    _hold(validation_scores[field], field, VALIDATION_FLOORS, "validation")


def test_our_scorer_agrees_with_the_projects(shared):
    """adminkg.scoring (used by `adminkg evaluate`) gives the numbers ../shared/tools/score_extraction.py
    gives, on the frozen graph's cases against the dev gold."""
    from adminkg import scoring
    from adminkg.query import run

    results = run("cases", paths.ROOT / "tests" / "fixtures" / "graph")
    rows = [{n: b[n]["value"] for n in results.vars if n in b} for b in results.bindings]
    ours = scoring.score(scoring.load_gold([shared / "corpus" / "gold.json"]), scoring.rows_by_doc(rows))
    scorer = _scorer(shared)
    theirs = scorer.score(scorer.load_gold(str(shared / "corpus" / "gold.json")), _their_pred(scorer, rows))
    theirs.pop("_counts")
    for field, (p, r, f) in theirs.items():
        assert (round(ours[field].precision, 9), round(ours[field].recall, 9), round(ours[field].f1, 9)) == (
            round(p, 9), round(r, 9), round(f, 9)), field


def _their_pred(scorer, rows):
    import tempfile

    data = {"head": {"vars": []}, "results": {"bindings": [{k: {"value": v} for k, v in r.items()} for r in rows]}}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False)
    return scorer.load_pred(fh.name)


def _scorer(shared):
    """../shared/tools/score_extraction.py loaded as a module."""
    spec = importlib.util.spec_from_file_location("score_extraction", shared / "tools" / "score_extraction.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_published_fact_has_a_confidence():
    """Every fact in data/ttl carries the model's probability on its evidence, but policy domains:
    the gold does not annotate them, so no model can score them."""
    graph = Graph().parse(paths.DATA_TTL_DIR / "cases.ttl")
    without: dict[str, int] = {}
    for ev in graph.subjects(RDF.type, AKG.Evidence):
        prop = graph.value(ev, AKG.assertedProperty)
        if prop != AKG.policyDomain and graph.value(ev, AKG.confidence) is None:
            without[str(prop)] = without.get(str(prop), 0) + 1
        conf = graph.value(ev, AKG.confidence)
        assert conf is None or 0 <= float(conf) <= 1
    assert not without, f"evidence without akg:confidence: {without}"


def test_published_cases_have_agency_source_and_true_spans(shared):
    path = paths.DATA_TTL_DIR / "cases.ttl"
    graph = Graph().parse(path)
    cases = set(graph.subjects(RDF.type, AKG.InnovationCase))
    assert len(cases) > 400
    for case in cases:
        assert len(set(graph.objects(case, AKG.leadAgency))) == 1, case
        assert set(graph.objects(case, PROV.wasDerivedFrom)), case
    files = {p.name: p for p in (shared / "corpus").rglob("*.txt")}
    assert check_spans(graph, files) > 1000


def test_published_cases_are_up_to_date(shared, tmp_path):
    """data/ttl/cases.ttl is what `make data` builds from ../shared/corpus with this code."""
    done = run_cli("build", "--corpus", str(shared / "corpus"), "--out", str(tmp_path), "--no-store")
    assert done.returncode == 0, done.stderr[-2000:]
    assert (tmp_path / "cases.ttl").read_bytes() == (paths.DATA_TTL_DIR / "cases.ttl").read_bytes(), \
        "run `make data` and commit data/ttl/cases.ttl"


FIXTURES = paths.ROOT / "tests" / "fixtures" / "documents"


def test_own_documents_score(shared, tmp_path):
    """Documents we wrote ourselves, scored against our own annotation: an award article (grade
    headings over several quotes, a unit before its quote, bodies awarded by name, a partner
    carrying a particle), card news in a layout the dev set lacks (◇ 지역 – 제목 headings over
    (문제)/(조치)/(성과) blocks) and a public corporation's release (headline, unit with a particle,
    an agreement partner, three tiers). The rules must hold beyond the dev set."""
    out = tmp_path / "kg"
    done = run_cli("build", "--corpus", str(FIXTURES), "--out", str(out), "--no-store")
    assert done.returncode == 0, done.stderr
    pred = tmp_path / "pred.json"
    pred.write_text(run_cli("query", "cases", "--data", str(out), "--format", "json").stdout, encoding="utf-8")
    # 0.75: one of the three documents' beneficiaries (수급자) is a word the vocabulary lacks
    minimum = [f"--min-{field}={0.75}" for field in TARGETS]
    done = subprocess.run([sys.executable, str(shared / "tools" / "score_extraction.py"), "--gold",
                           str(FIXTURES / "gold.json"), "--pred", str(pred), *minimum],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout


# --- Documents of our own writing, each showing one or two of issue 10's kinds of failure --------------

FAILURES = paths.ROOT / "tests" / "fixtures" / "failures"

# The documents (invented practices of real bodies, in our own words; sources.tsv is their manifest), the
# kinds of failure of issue 10 each shows (numbered as listed there: 1 a ranked table of ten, 2 a
# three-row table, 3 a body or unit in parentheses, 4 a dateline, 5 awarded institutions without
# practices and a prize record, 6 contest sentences and headline words, 7 awards, 8 technology words,
# 9 partners without a cue word, 10 numbers that are no outcome), and the annotation's judgement calls
# beyond ../shared/guides/corpus.md.
FAILURE_DOCUMENTS: dict[str, tuple[tuple[int, ...], str]] = {
    "ranked-gyeonggi-2025.txt": ((1,), "rank = the explicit place 1-10, grade empty (no tier words)"),
    "table-pipe-busan-2024.txt": ((2,), "tiers laid out: 최우수 1 > 우수 2 > 장려 3; '휴대전화로 문자' is SMS only"),
    "table-markdown-molit-2025.txt": ((2, 9), "partners from the table column; 원격 검침 and a tilt gauge that "
                                              "alerts are IOT; 'the slopes fitted' kept as a scale metric"),
    "table-tsv-jeonnam-2025.txt": ((2, 8), "무인비행장치 → DRONE; a speaker that answers → AI + IOT (as "
                                           "'인공지능 스피커'); 손전화 → MOBILE; the judge's 인공지능 and 누리집 are "
                                           "in passing"),
    "table-html-chungbuk-2025.html": ((2, 7), "the contest is named in the headline only ('이번 대회' in the body)"),
    "list-parens-jeonbuk-2025.txt": ((3, 8), "two categories, each 최우수 1 > 우수 2 > 장려 3; (익산시 보건소) → "
                                             "department 보건소; 물높이 원격 확인 → IOT; 온라인 booking → WEB"),
    "dateline-news1-moel-2025.txt": ((4,), "서울지방고용노동청 is a department of 고용노동부; a lone 대통령상 is "
                                           "the grade, rank empty"),
    "institutions-regulation-2024.txt": ((5, 7), "one untitled case per institution, as the brief of issue 10 "
                                                 "asks (seed 004 left its 우수기관 out); 최우수기관 1 > 우수기관 2; "
                                                 "달서구's ten-year record is no case"),
    "contest-words-gangwon-2025.txt": ((6, 7), "대상 1 > 최우수 2 > 우수 3 > 장려 4; the 장려 bodies are untitled "
                                               "cases; the 공식 인증 is no prize and no case"),
    "three-organisers-kwater-2025.txt": ((7, 9), "three contests, three organisers; 국무총리상 is the grade; no "
                                                 "ladder, so no rank; 보령시 is a partner"),
    "history-prize-goheung-2025.txt": ((6, 7), "the 2016 and 2019 winners and last year's prize name no practice: "
                                               "not annotated (as d-013); the headline's quote is no case"),
    "tech-words-seongdong-2025.txt": ((8,), "무인비행장치 → DRONE, 전자 지도 → GIS_MAP, 감지기 → IOT; the quote's "
                                            "인공지능, 메타버스, 블록체인 are in passing"),
    "partners-gimhae-2025.txt": ((9, 8), "partners named by what they did, no collaboration word; 열·연기 감지 "
                                         "단말 → IOT, 휴대전화로 문자 → SMS"),
    "metrics-daedeok-2025.txt": ((10,), "24시간 (opening hours), 오후 7시, '2025 대덕 물빛축제', the 1,800만 원 cost "
                                        "and the planned 14곳 are no metrics; 보관함 not coded KIOSK (a locker)"),
}

# Per-field F1 on tests/fixtures/failures (14 documents, 60 cases), minus 0.02. The rules alone
# (commit 24dcae0) scored cases 0.525, agency 0.545, titles 0.465, departments 0.286, technologies
# 0.305, partners 0, beneficiaries 0.276, awards 0.391, grades 0.506, contests 0.478; with the learned
# decisions: cases 0.741, agency 0.785, titles 0.603, departments 0.158, technologies 0.235,
# partners 0, beneficiaries 0.357, awards 0.294, grades 0.453, contests 0.734; with the lexical case
# features and the body-headed card lines (2026-12-07): cases 0.873, agency 0.887, titles 0.810,
# departments 0.784, technologies 0.545, awards 0.656 (more cases, more prizes wrongly dated among
# them), grades 0.698, contests 0.857. partners stays at 0:
# none of the ten partners, all named without a collaboration word, is found.
FAILURE_FLOORS: dict[str, float] = {
    "cases": 0.85, "agency": 0.86, "titles": 0.78, "departments": 0.76, "technologies": 0.52,
    "partners": 0.0, "beneficiaries": 0.55, "awards": 0.63, "grades": 0.67, "contests": 0.83,
}


@pytest.fixture(scope="module")
def failures(shared, tmp_path_factory):
    """tests/fixtures/failures built by `adminkg build`: its cases query read by the scorer's own loader,
    the gold, and the graph (for metrics, which the cases query does not carry)."""
    out = tmp_path_factory.mktemp("failures")
    done = run_cli("build", "--corpus", str(FAILURES), "--out", str(out / "kg"), "--no-store")
    assert done.returncode == 0, done.stderr[-2000:]
    query = run_cli("query", "cases", "--data", str(out / "kg"), "--format", "json")
    assert query.returncode == 0, query.stderr
    (out / "cases.json").write_text(query.stdout, encoding="utf-8")
    scorer = _scorer(shared)
    return SimpleNamespace(scorer=scorer, gold=scorer.load_gold(str(FAILURES / "gold.json")),
                           pred=scorer.load_pred(str(out / "cases.json")),
                           graph=Graph().parse(out / "kg" / "cases.ttl"))


def test_failure_kinds_gold_matches_the_documents():
    """Every document has gold and is listed with its kinds (all ten covered); every gold span (title,
    unit, partner, beneficiary, metric, contest) is in its document's text as the loader reads it: the
    annotation is verbatim, as ../shared's."""
    from adminkg.loaders.documents import read_document

    gold = json.loads((FAILURES / "gold.json").read_text(encoding="utf-8"))
    files = {p.name for p in FAILURES.iterdir() if p.suffix in {".txt", ".html"}}
    assert {d["doc"] for d in gold} == files == set(FAILURE_DOCUMENTS)
    assert {k for kinds, _ in FAILURE_DOCUMENTS.values() for k in kinds} == set(range(1, 11))
    assert all(doc in files for _name, doc, *_ in FAILURE_CHECKS)
    for d in gold:
        text = read_document(FAILURES / d["doc"]).text
        for case in d["cases"]:
            spans = [case["title"], *case["departments"], *case["partners"], *case["beneficiaries"],
                     *case["metrics"], *(a["contest"] for a in case["awards"])]
            assert [s for s in spans if s and s not in text] == [], d["doc"]


def test_failure_kinds_score(failures):
    """The scorer's fields on our failure documents, each held at its floor (FAILURE_FLOORS)."""
    result = failures.scorer.score(failures.gold, failures.pred)
    counts = result.pop("_counts")
    assert set(result) == set(FAILURE_FLOORS), "every field of the scorer has a floor"
    print(f"\n{'field':<14}{'P':>7}{'R':>7}{'F1':>7}  {'floor':>6}   tp/pred/gold")
    for field, (p, r, f) in result.items():
        tally = "/".join(map(str, counts[field]))
        print(f"{field:<14}{p:7.3f}{r:7.3f}{f:7.4f}  {FAILURE_FLOORS[field]:6.3f}   {tally}")
    low = {field: round(f, 4) for field, (_p, _r, f) in result.items() if f < FAILURE_FLOORS[field]}
    assert not low, f"fields below their floor: {low}"


# Checks over the extraction of one failure document. Each returns what went wrong (empty: it holds).

def _titled(cases, fragment):
    return [c for c in cases if fragment in c["title"]]


def _n_cases(f, doc, n):
    got = len(f.pred.get(doc, []))
    return [f"{got} cases, not {n}"] if got < n else []


def _leads(f, doc, *pairs):
    """Each (title fragment, agency): the case with that title is led by that agency."""
    out = []
    for fragment, agency in pairs:
        cases = _titled(f.pred.get(doc, []), fragment)
        if not any(f.scorer.norm_agency(c["agency"]) == f.scorer.norm_agency(agency) for c in cases):
            out.append(f"'{fragment}' led by {[c['agency'] for c in cases] or 'no case'}, not {agency}")
    return out


def _cases_led_by(f, doc, low, high, *agencies):
    """Each agency leads between low and high cases."""
    out = []
    for agency in agencies:
        n = sum(f.scorer.norm_agency(c["agency"]) == f.scorer.norm_agency(agency) for c in f.pred.get(doc, []))
        if not low <= n <= high:
            out.append(f"{agency} leads {n} cases")
    return out


def _no_title_like(f, doc, pattern):
    return [c["title"] for c in f.pred.get(doc, []) if re.search(pattern, c["title"])]


def _titles_in_gold(f, doc):
    """Every title extracted is one of the document's case titles (no caption, heading or sentence)."""
    gold = [g["title"] for g in f.gold[doc] if g["title"]]
    return [c["title"] for c in f.pred.get(doc, [])
            if c["title"] and not any(f.scorer.title_equal(c["title"], g) for g in gold)]


def _awards(f, doc, *triples):
    """Each (agency or title fragment, "YEAR;RANK", grade or "" for any): a case it names carries that award."""
    out = []
    for key, year_rank, grade in triples:
        cases = [c for c in f.pred.get(doc, [])
                 if key in c["title"] or f.scorer.norm_agency(c["agency"]) == f.scorer.norm_agency(key)]
        if not any(a == year_rank and (not grade or any(f.scorer.grade_equal(g, grade) for g in c["grades"]))
                   for c in cases for a in c["awards"]):
            out.append(f"{key}: {[(c['awards'], c['grades']) for c in cases] or 'no case'}, not {year_rank} {grade}")
    return out


def _contests_in_gold(f, doc):
    """The contests extracted are named, and named as the gold names them."""
    gold = {x for g in f.gold[doc] for x in g["contests"]}
    found = [x for c in f.pred.get(doc, []) for x in c["contests"]]
    bad = [x for x in found if not any(f.scorer.contest_equal(x, g) for g in gold)]
    return bad or ([] if found else ["no contest"])


def _n_contests(f, doc, n):
    found = {x for c in f.pred.get(doc, []) for x in c["contests"]}
    return [f"contests {sorted(found)}"] if len(found) < n else []


def _technologies(f, doc, fragment, *codes):
    """The case titled with fragment carries each code."""
    cases = _titled(f.pred.get(doc, []), fragment)
    return [f"'{fragment}' lacks {code}" for code in codes if not any(code in c["technologies"] for c in cases)]


def _no_technology(f, doc, *codes):
    return [f"{c['title']}: {code}" for c in f.pred.get(doc, []) for code in codes if code in c["technologies"]]


def _partners(f, doc, *names):
    found = [p for c in f.pred.get(doc, []) for p in c["partners"]]
    return [n for n in names if not any(f.scorer.loose_equal(n, p) for p in found)]


def _no_body(f, doc, *names):
    """No case is led by, or partners with, a body of these names (a place a partner is named after)."""
    out = []
    for c in f.pred.get(doc, []):
        for name in names:
            if name in c["agency"].split() or any(f.scorer.squash(p) == name for p in c["partners"]):
                out.append(f"{c['title']}: {name}")
    return out


_METRICS = """
PREFIX akg: <https://w3id.org/adminkg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX schema: <https://schema.org/>
SELECT ?value ?unit ?measured WHERE {
  ?case prov:wasDerivedFrom/akg:fileName ?file ; akg:outcome/akg:metric ?m .
  ?m schema:value ?value .
  OPTIONAL { ?m schema:unitText ?unit }
  OPTIONAL { ?m akg:measuredQuantity ?measured }
}"""


def _metrics(f, doc):
    rows = f.graph.query(_METRICS, initBindings={"file": Literal(doc)})
    return [(Decimal(str(r.value)), str(r.unit or "").replace(" ", ""), r.measured) for r in rows]


def _metrics_absent(f, doc, *quantities):
    """No metric is one of these (value, unit): numbers that are no outcome."""
    found = {(v, u) for v, u, _ in _metrics(f, doc)}
    return [f"{v} {u}" for v, u in quantities if (Decimal(v), u) in found]


def _metrics_present(f, doc, *quantities):
    found = {(v, u) for v, u, _ in _metrics(f, doc)}
    return [f"{v} {u}" for v, u in quantities if (Decimal(v), u) not in found]


def _metrics_measure(f, doc):
    """Every metric says what it measures."""
    rows = _metrics(f, doc)
    return [f"{v} {u}" for v, u, measured in rows if measured is None] or ([] if rows else ["no metric"])


# (id, document, what must hold, check, its arguments, None where today's extractor gets it right, else
# why not: the kind of failure of issue 10). A strict xfail: when the extractor comes to get one right,
# the test says so; drop its reason then, and the check guards it from there on.
_TECH = "kind 8 (technology words)"
FAILURE_CHECKS = [
    ("ranked-one-case-per-row", "ranked-gyeonggi-2025.txt", "ten rows, ten cases", _n_cases, (10,), None),
    ("ranked-last-place", "ranked-gyeonggi-2025.txt", "the tenth row keeps its place", _awards,
     (("경기도 양평군", "2025;10", ""),), None),
    ("pipe-three-cases", "table-pipe-busan-2024.txt", "three rows, three cases", _n_cases, (3,), None),
    ("markdown-three-cases", "table-markdown-molit-2025.txt", "three rows, three cases", _n_cases, (3,), None),
    ("tsv-three-cases", "table-tsv-jeonnam-2025.txt", "three rows, three cases", _n_cases, (3,), None),
    ("html-three-cases", "table-html-chungbuk-2025.html", "three rows, three cases", _n_cases, (3,), None),
    ("pipe-no-caption-title", "table-pipe-busan-2024.txt", "no headline or caption as a title", _titles_in_gold, (),
     None),
    ("markdown-no-caption-title", "table-markdown-molit-2025.txt", "no headline or caption as a title",
     _titles_in_gold, (), None),
    ("tsv-no-caption-title", "table-tsv-jeonnam-2025.txt", "no headline or caption as a title", _titles_in_gold, (),
     None),
    ("html-no-caption-title", "table-html-chungbuk-2025.html", "no page title or caption as a title",
     _titles_in_gold, (), None),
    ("parens-after-unit", "list-parens-jeonbuk-2025.txt", "'제목(OO시 OO과)': the city in parentheses leads",
     _leads, (("산후조리", "전북특별자치도 익산시"), ("비상벨 쉼터", "전북특별자치도 남원시"),
              ("전주장날", "전북특별자치도 전주시")), None),
    ("parens-before-body", "list-parens-jeonbuk-2025.txt", "'(OO공사) 제목': the body in parentheses leads",
     _leads, (("연금 받을 나이", "국민연금공단"), ("저수지 물높이", "한국농어촌공사"),
              ("땅 경계 다툼", "한국국토정보공사")),
     "kind 3 (title with its body in parentheses): the third body's case goes to the province"),
    ("parens-not-in-title", "list-parens-jeonbuk-2025.txt", "the parentheses are not part of the title",
     _no_title_like, (r"^\(|\)$",), "kind 3 (title with its body or unit in parentheses): kept in the title"),
    ("parens-no-heading-title", "list-parens-jeonbuk-2025.txt", "section headings (■ … 부문) are no cases",
     _titles_in_gold, (), "kind 6 (headline words as titles): '공공기관 부문' and '시군 부문' become cases"),
    ("dateline-not-seoul", "dateline-news1-moel-2025.txt", "'(서울=뉴스1)' does not make 서울특별시 a lead",
     _no_body, ("서울특별시",), None),
    ("dateline-ministry-leads", "dateline-news1-moel-2025.txt", "the ministry the release is from leads",
     _leads, (("임금체불", "고용노동부"),),
     "kind 4 (a ministry's release under a dateline): the contest's organiser 행정안전부 takes the lead"),
    ("institutions-one-case-each", "institutions-regulation-2024.txt", "eight awarded bodies, eight cases",
     _cases_led_by, (1, 1, "대구광역시 달서구", "경상남도 김해시", "부산광역시 해운대구", "대전광역시 유성구",
                     "경기도 안산시", "강원특별자치도 원주시", "전라남도 나주시", "충청북도 진천군"), None),
    ("institutions-tier-grade", "institutions-regulation-2024.txt", "최우수기관: grade 최우수, rank 1",
     _awards, (("대구광역시 달서구", "2024;1", "최우수"),),
     "kind 7 (tier ranks): the prize name (대통령 표창) is taken for the grade and no rank is given"),
    ("prize-record-no-case", "institutions-regulation-2024.txt", "a ten-year prize record is no second case",
     _cases_led_by, (0, 1, "대구광역시 달서구"), None),
    ("contest-sentences-no-title", "contest-words-gangwon-2025.txt", "심사를 거쳐 …, 공식 인증, 꼽혔다: no titles",
     _no_title_like, (r"심사를? 거쳐|공식 인증|꼽[혀혔]",), None),
    ("contest-words-titles-in-gold", "contest-words-gangwon-2025.txt", "every title is a case's title",
     _titles_in_gold, (), None),
    ("headline-quote-no-title", "history-prize-goheung-2025.txt", "a headline's quoted remark is no title",
     _titles_in_gold, (), "kind 6 (headline words as titles): the headline's quote becomes a second case"),
    ("contest-in-headline-html", "table-html-chungbuk-2025.html", "the contest the headline names",
     _contests_in_gold, (), None),
    ("contest-in-headline-text", "history-prize-goheung-2025.txt", "the contest the headline names",
     _contests_in_gold, (), None),
    ("three-organisers", "three-organisers-kwater-2025.txt", "three organisers' prizes, three contests",
     _n_contests, (3,), "kind 7 (awards): one contest node collects the prizes of three organisers"),
    ("history-not-this-year", "history-prize-goheung-2025.txt", "2016년 보성군, 2019년 강진군: no 2025 prize",
     _no_body, ("보성군", "강진군"), "kind 7 (awards): prizes of a history sentence are dated to this year's contest"),
    ("tiers-middle", "contest-words-gangwon-2025.txt", "대상 1 > 최우수 2 > 우수 3: the middle tiers", _awards,
     (("강원특별자치도 원주시", "2025;2", "최우수"), ("강원특별자치도 춘천시", "2025;3", "우수")), None),
    ("tiers-top-and-fourth", "contest-words-gangwon-2025.txt", "대상 1 and 장려 4", _awards,
     (("관광지 대기 줄", "2025;1", "대상"), ("강원특별자치도 인제군", "2025;4", "장려")),
     "kind 7 (tier ranks): the 대상 case takes 최우수 2 (shifted by one) and the 장려 bodies are lost"),
    ("tiers-history-doc", "history-prize-goheung-2025.txt", "대상 1, 최우수 2, 우수 3", _awards,
     (("우주발사 전망대", "2025;1", "대상"), ("전라남도 순천시", "2025;2", "최우수"),
      ("전라남도 담양군", "2025;3", "우수")), None),
    ("tech-in-passing-tsv", "table-tsv-jeonnam-2025.txt", "a judge's 빅데이터, 블록체인 are no technology",
     _no_technology, ("BIG_DATA", "BLOCKCHAIN"), None),
    ("tech-in-passing-quote", "tech-words-seongdong-2025.txt", "a quote's 인공지능, 블록체인 are no technology",
     _no_technology, ("AI", "BLOCKCHAIN"), _TECH + ": codes from words in passing"),
    ("tech-other-words-drone-map", "tech-words-seongdong-2025.txt", "무인비행장치 → DRONE, 전자 지도 → GIS_MAP",
     _technologies, ("하늘 순찰", "DRONE", "GIS_MAP"),
     _TECH + ": the learned technology decision turns down the rules' DRONE and GIS_MAP here"),
    ("tech-other-words-sensor", "partners-gimhae-2025.txt", "열·연기 감지 단말 → IOT, 휴대전화로 문자 → SMS",
     _technologies, ("감지망", "IOT", "SMS"), _TECH + ": missed where the words differ from the lexicon's"),
    ("tech-other-words-remote", "list-parens-jeonbuk-2025.txt", "물높이 원격 확인 → IOT",
     _technologies, ("저수지 물높이", "IOT"), _TECH + ": missed where the words differ from the lexicon's"),
    ("partners-without-cue", "partners-gimhae-2025.txt", "a company, a carrier, universities, a chamber",
     _partners, ("LG유플러스", "㈜누리보듬", "인제대학교", "창원대학교", "김해상공회의소"),
     "kind 9 (partners named without a cue word): none is found"),
    ("partners-in-table", "table-markdown-molit-2025.txt", "partners in a table column",
     _partners, ("㈜하늬바람에어로", "LG유플러스", "부산대학교"), None),
    ("university-not-city", "partners-gimhae-2025.txt", "인제대학교, 창원대학교 are not 인제군, 창원시",
     _no_body, ("인제군", "창원시"), None),
    ("partner-not-lead", "three-organisers-kwater-2025.txt", "보령시 (worked with) does not lead",
     _no_body, ("보령시",), "kind 9 (partners): the body the lead worked with takes the case"),
    ("metrics-no-outcome", "metrics-daedeok-2025.txt", "24시간 opening, '2025 대덕' festival: no metrics",
     _metrics_absent, (("24", "시간"), ("2025", "대")), None),
    ("metrics-outcomes", "metrics-daedeok-2025.txt", "대출 3,100건 → 4,300건, 12% → 35%",
     _metrics_present, (("4300", "건"), ("35", "%")), None),
    ("metrics-measure", "metrics-daedeok-2025.txt", "every metric says what it measures", _metrics_measure, (),
     "kind 10 (metrics): no metric says what it measures"),
]


@pytest.mark.parametrize("doc,claim,check,args", [
    pytest.param(doc, claim, check, args, id=name,
                 marks=[pytest.mark.xfail(reason=why, strict=True)] if why else [])
    for name, doc, claim, check, args, why in FAILURE_CHECKS])
def test_failure_kind(failures, doc, claim, check, args):
    """One wrong thing of issue 10's kinds that must not happen on our documents (FAILURE_CHECKS)."""
    assert doc in failures.gold, doc
    wrong = check(failures, doc, *args)
    assert not wrong, f"{claim}: {wrong}"
