"""The query library (queries/*.rq) on a frozen extraction (tests/fixtures/graph: data/ttl/cases.ttl
as built from the first 167 documents): every query has its header and runs; named research queries
give real answers; parameters are bound safely. The graph is frozen so that improving the extractor
does not move the known answers these tests check."""
from __future__ import annotations

import functools

import pytest

from adminkg import paths
from adminkg.errors import InputError
from adminkg.queries import bind, get_query, library, sparql_term
from adminkg.query import run
from adminkg.store import open_store

from .conftest import run_cli

DATA = paths.ROOT / "tests" / "fixtures" / "graph"


@functools.cache
def published_store():
    """The frozen graph with the ontology and gazetteer, loaded once for the module (queries only read)."""
    return open_store(DATA)


def rows_of(name: str, **params) -> list[dict[str, str]]:
    results = run(name, params={k: str(v) for k, v in params.items()}, store=published_store())
    return [{n: b[n]["value"] if n in b else "" for n in results.vars} for b in results.bindings]


@pytest.mark.parametrize("query", library(), ids=lambda q: q.name)
def test_every_query_has_a_header_and_runs(query):
    assert query.title and query.description, f"{query.path.name}: add '# title:' and '# description:'"
    for name in query.params:
        assert f"${name}" in query.text, f"{query.path.name}: parameter {name} is declared but not used"
    assert run(query.name, store=published_store()).vars


def test_cases_by_technology_and_year():
    ai = rows_of("cases-by-technology", tech="AI")
    assert any(r["agency"] == "국민건강보험공단" and "건강예측" in r["title"] for r in ai)
    only_2019 = rows_of("cases-by-technology", tech="AI", year=2019)
    assert only_2019 and {r["year"] for r in only_2019} == {"2019"}
    assert len(only_2019) < len(ai)
    years = [int(r["year"]) for r in ai]
    assert years == sorted(years, reverse=True)


def test_first_adopters_are_in_order():
    rows = rows_of("technology-first-adopters", tech="IOT")
    assert len(rows) >= 3
    firsts = [int(r["firstYear"]) for r in rows]
    assert firsts == sorted(firsts)
    assert len({r["agency"] for r in rows}) == len(rows)


def test_agency_partners():
    rows = rows_of("agency-partners")
    assert {"agency": "한국토지주택공사", "partner": "한국수자원공사"}.items() <= next(
        r for r in rows if r["agency"] == "한국토지주택공사"
    ).items()
    one = rows_of("agency-partners", agency="한국토지주택공사")
    assert one and {r["agency"] for r in one} == {"한국토지주택공사"}


def test_awards_by_contest_year():
    rows = rows_of("awards-by-contest", year=2021)
    assert len(rows) > 20
    assert {r["contestYear"] for r in rows} == {"2021"}
    assert any(r["grade"] == "최우수" and r["rank"] == "1" for r in rows)


def test_evidence_points_at_the_text(shared):
    case = "https://w3id.org/adminkg/case/11-4c922ec6456c"
    rows = rows_of("evidence", case=case)
    assert any(r["property"].endswith("#leadAgency") for r in rows)
    files = {p.name: p for p in (shared / "corpus").rglob("*.txt")}
    import unicodedata

    for r in rows:
        if r["exact"]:
            text = unicodedata.normalize("NFC", files[r["doc"]].read_text(encoding="utf-8-sig"))
            assert text[int(r["start"]) : int(r["end"])] == r["exact"]


HOSTILE = ['"} ; DROP ALL #', "'} DROP ALL { '", '\\" ) } INSERT DATA { <a:b> <a:b> <a:b> } #', "줄\n바꿈\t\\",
           "}}}{{{", "$tech", '"""', "<http://x> } ; CLEAR DEFAULT"]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_values_stay_one_literal(value):
    """Whatever a value holds, it is one escaped literal: the query parses, matches nothing, and
    the graph is unchanged. A parameter that names a technology or an agency refuses it before
    any query runs (it names none)."""
    before = len(rows_of("awards-by-contest"))
    assert rows_of("collaboration-kinds", kind=value) == []
    assert rows_of("lowest-confidence", kind=value) == []
    for name, param in (("cases-by-technology", "tech"), ("agency-partners", "agency")):
        with pytest.raises(InputError, match="matches no|names"):
            rows_of(name, **{param: value})
    assert len(rows_of("awards-by-contest")) == before
    text = bind(get_query("cases-by-technology"), {"tech": value})
    assert "DROP" not in text.replace(sparql_term(value), "")


def test_terms():
    assert sparql_term("2021") == "2021"
    assert sparql_term("https://w3id.org/adminkg/agency/11") == "<https://w3id.org/adminkg/agency/11>"
    assert sparql_term('a"b\\c\nd') == '"a\\"b\\\\c\\nd"'
    with pytest.raises(InputError, match="not a valid IRI"):
        sparql_term("https://x/a b>")


def test_unknown_parameter_and_bad_iri_are_clear_errors():
    done = run_cli("query", "cases-by-technology", "--data", str(DATA), "--param", "bogus=1")
    assert done.returncode == 2 and "unknown parameter bogus" in done.stderr and "tech, year" in done.stderr
    done = run_cli("query", "evidence", "--data", str(DATA), "--param", "case=https://x/a b")
    assert done.returncode == 2 and "not a valid IRI" in done.stderr
    done = run_cli("query", "evidence", "--data", str(DATA), "--param", "case")
    assert done.returncode == 2 and "NAME=VALUE" in done.stderr


def test_queries_lists_the_library():
    done = run_cli("queries")
    assert done.returncode == 0
    for q in library():
        assert f"{q.name}: {q.title}" in done.stdout
    assert "--param tech=" in done.stdout


def test_cli_binds_parameters():
    done = run_cli("query", "cases-by-technology", "--data", str(DATA), "--param", "tech=AI", "--param", "year=2019",
                   "--format", "csv")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert lines[0].split(",") == ["year", "case", "title", "agency"]
    assert len(lines) > 1 and all(line.startswith("2019,") for line in lines[1:])


def test_cases_per_province_covers_the_seventeen():
    rows = rows_of("cases-per-province")
    assert len(rows) == 17
    assert {"서울특별시", "제주특별자치도", "세종특별자치시", "경기도"} <= {r["province"] for r in rows}
    counts = [int(r["cases"]) for r in rows]
    assert counts == sorted(counts, reverse=True) and min(counts) > 0


def test_cases_per_agency_type_adds_up():
    """Every case has one lead agency, so the types' counts add up to the cases of the graph."""
    rows = rows_of("cases-per-agency-type")
    assert sum(int(r["cases"]) for r in rows) == len({r["case"] for r in rows_of("cases")})
    assert "Autonomous district" in {r["agencyType"] for r in rows}


def test_quality_queries():
    without = {r["case"] for r in rows_of("quality-cases-without-technology")}
    assert without
    assert not without & {r["case"] for r in rows_of("cases-by-technology", tech="AI")}
    agencies = {r["agency"]: r["fromGazetteer"] for r in rows_of("quality-agencies-without-code")}
    assert agencies.get("국세청") == "true"
    assert set(agencies.values()) <= {"true", "false"}
    assert "서울특별시" not in agencies


def test_agency_pairs_joint_cases():
    rows = rows_of("agency-pairs")
    pairs = {(r["agency1"], r["agency2"], r["link"]): int(r["cases"]) for r in rows}
    # Incheon's two AI city-plan cases have LH as partner; LH leads cases of its own
    assert rows[0]["agency1"] == "인천광역시" and rows[0]["agency2"] == "한국토지주택공사"
    assert pairs[("인천광역시", "한국토지주택공사", "joint case")] == 2
    assert pairs[("관세청", "국세청", "joint case")] == 1  # 국세청's case with 관세청 as partner; kcs < nts
    assert pairs[("한국인터넷진흥원", "경찰청", "joint case")] == 1
    # a partner that leads no case of its own (서울대학교, a company) makes no pair
    assert not {"서울대학교", "카카오택시"} & {a for r in rows for a in (r["agency1"], r["agency2"], r["link"])}
    assert len(rows) == 8
    assert all(r["iri1"] < r["iri2"] for r in rows)
    counts = [int(r["cases"]) for r in rows]
    assert counts == sorted(counts, reverse=True)
    lh = rows_of("agency-pairs", agency="한국토지주택공사")
    assert {(r["agency1"], r["agency2"]) for r in lh} == {
        ("인천광역시", "한국토지주택공사"), ("한국수자원공사", "한국토지주택공사")}


AGENCY_PAIRS_FIXTURE = """
@prefix akg: <https://w3id.org/adminkg/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix agency: <https://w3id.org/adminkg/agency/> .
@prefix case: <https://w3id.org/adminkg/case/> .
@prefix orgx: <https://w3id.org/adminkg/org/> .
orgx:t skos:prefLabel "테스트협력사"@ko .
orgx:u skos:prefLabel "혼자협력사"@ko .
case:t1 a akg:InnovationCase ; akg:leadAgency agency:28 ; akg:partner orgx:t .
case:t2 a akg:InnovationCase ; akg:leadAgency agency:lh ; akg:partner orgx:t .
case:t3 a akg:InnovationCase ; akg:leadAgency agency:lh ; akg:partner orgx:t .
case:t4 a akg:InnovationCase ; akg:leadAgency agency:28 ; akg:partner agency:lh .
case:t5 a akg:InnovationCase ; akg:leadAgency agency:lh ; akg:partner agency:28 .
case:t6 a akg:InnovationCase ; akg:leadAgency agency:11 ; akg:partner orgx:u .
case:t7 a akg:InnovationCase ; akg:leadAgency agency:11 ; akg:partner orgx:t .
case:t8 a akg:InnovationCase ; akg:leadAgency agency:44 ; akg:partner agency:44 .
"""


def test_agency_pairs_shared_partner_and_both_directions(tmp_path):
    """The frozen graph has no partner shared by two lead agencies: a small graph exercises that branch, and
    a joint case told in both directions (A partners B, B partners A) is one pair; an agency named as
    its own partner (t8) pairs with nobody."""
    (tmp_path / "pairs.ttl").write_text(AGENCY_PAIRS_FIXTURE, encoding="utf-8")
    results = run("agency-pairs", tmp_path)
    got = [{n: b[n]["value"] if n in b else "" for n in results.vars} for b in results.bindings]
    assert [(r["agency1"], r["agency2"], r["link"], r["cases"]) for r in got] == [
        ("서울특별시", "한국토지주택공사", "테스트협력사", "3"),  # t7 and t2, t3
        ("인천광역시", "한국토지주택공사", "테스트협력사", "3"),  # t1 and t2, t3
        ("서울특별시", "인천광역시", "테스트협력사", "2"),  # t7 and t1
        ("인천광역시", "한국토지주택공사", "joint case", "2"),  # t4 and t5
    ]


def test_departments_that_win():
    rows = rows_of("departments-that-win")
    top = [(r["department"], r["agency"], r["awardedCases"]) for r in rows[:2]]
    assert top == [("인천본부세관", "관세청", "5"), ("중부지방국세청", "국세청", "5")]
    keys = [(-int(r["awardedCases"]), -int(r["awards"]), -int(r["rankOneAwards"])) for r in rows]
    assert keys == sorted(keys)
    assert all(int(r["rankOneAwards"]) <= int(r["awards"]) for r in rows)
    # every (awarded case, department) pair counts once: the same total as the cases query gives
    cases = {r["case"]: r for r in rows_of("cases")}
    assert sum(int(r["awardedCases"]) for r in rows) == sum(
        len(r["departments"].split("|")) for r in cases.values() if r["awards"] and r["departments"])
    best = rows_of("departments-that-win", grade="최우수")
    assert (best[0]["department"], best[0]["agency"], best[0]["rankOneAwards"]) == (
        "도시행정과", "대구광역시 북구", "2")
    assert sum(int(r["awards"]) for r in best) < sum(int(r["awards"]) for r in rows)
    in_2020 = rows_of("departments-that-win", year=2020)
    assert [(r["department"], r["awardedCases"]) for r in in_2020] == [("인천본부세관", "5"), ("환경안전관리과", "1")]


def test_beneficiaries_per_technology():
    iot = rows_of("beneficiaries-per-technology", tech="IOT")
    assert [(r["beneficiary"], r["beneficiaryCode"], r["cases"]) for r in iot] == [
        ("독거노인", "OLDER_PEOPLE_ALONE", "5"), ("노인", "OLDER_PEOPLE", "3"),
        ("장애인", "DISABLED", "1"), ("민원인", "PETITIONERS", "1")]
    every = rows_of("beneficiaries-per-technology")
    assert [r for r in every if r["technology"] == "IOT"] == iot
    assert {r["technology"] for r in every} >= {"AI", "BLOCKCHAIN", "MOBILE", "CHATBOT"}
    assert ("AI", "주민", "4") in {(r["technology"], r["beneficiary"], r["cases"]) for r in every}
    keys = [(r["technology"], -int(r["cases"]), r["beneficiaryCode"]) for r in every]
    assert keys == sorted(keys)
    # no group counts more cases than use the technology
    ai_cases = len({r["case"] for r in rows_of("cases-by-technology", tech="AI")})
    assert max(int(r["cases"]) for r in every if r["technology"] == "AI") <= ai_cases


def test_outcomes_by_metric():
    rows = rows_of("outcomes-by-metric")
    kinds = {r["kind"] for r in rows}
    assert kinds == {"count", "money", "percentage", "ratio", "time"}
    # the kinds partition the outcomes
    assert sum(len(rows_of("outcomes-by-metric", kind=k)) for k in kinds) == len(rows)
    money = [r for r in rows if r["kind"] == "money"]
    assert all(r["unit"].endswith("원") and r["baseUnit"] == "원" for r in money)
    assert (money[0]["agency"], money[0]["value"], money[0]["unit"], money[0]["baseValue"]) == (
        "경상남도 창녕군", "4485", "억 원", "448500000000")
    for kind in kinds:
        values = [float(r["baseValue"]) for r in rows if r["kind"] == kind]
        assert values == sorted(values, reverse=True)
    time = rows_of("outcomes-by-metric", kind="time", change="TIME_REDUCTION")
    krc = next(r for r in time if r["agency"] == "한국농어촌공사")
    assert (krc["title"], krc["value"], krc["unit"], krc["before"], krc["after"], krc["baseValue"]) == (
        "전자수용재결시스템", "120", "일", "240", "120", str(120 * 86400))
    assert ("서울특별시 종로구", "1", "7", "86400") in {
        (r["agency"], r["value"], r["before"], r["baseValue"]) for r in time}
    saving = rows_of("outcomes-by-metric", change="SAVING")
    assert len(saving) == 7 and {r["change"] for r in saving} == {"SAVING"}
    assert ("서울특별시 종로구", "3060", "만원", "30600000") in {
        (r["agency"], r["value"], r["unit"], r["baseValue"]) for r in saving}


def test_similar_cases():
    seed = "https://w3id.org/adminkg/case/11-37065220367b"  # 독거어르신 안전·건강관리 솔루션: IOT, MOBILE, safety
    rows = rows_of("similar-cases", case=seed)
    top = [(r["similar"].rsplit("/", 1)[1], r["sharedTechnologies"], r["sharedDomains"], r["score"]) for r in rows[:2]]
    assert top == [("11200-65f98e3d8fba", "2", "1", "3"), ("46-37a504405991", "2", "1", "3")]
    assert rows[0]["title"] == "별일 없으시죠" and rows[1]["agency"] == "전라남도"
    assert seed not in {r["similar"] for r in rows}
    assert all(int(r["score"]) == int(r["sharedTechnologies"]) + int(r["sharedDomains"]) for r in rows)
    scores = [int(r["score"]) for r in rows]
    assert scores == sorted(scores, reverse=True) and min(scores) >= 1
    assert len(rows) == 27
    back = rows_of("similar-cases", case="https://w3id.org/adminkg/case/46-37a504405991")
    assert (seed, "3") in {(r["similar"], r["score"]) for r in back}  # similarity is symmetric
    # a case with no technology and no problem (an award-table row) is similar to none
    assert rows_of("similar-cases", case="https://w3id.org/adminkg/case/11-47fedd8a7800") == []


def test_collaboration_kinds_add_up():
    rows = rows_of("collaboration-kinds")
    partners = rows_of("agency-partners")
    # one collaboration per case and partner, as agency-partners counts them
    assert sum(int(r["collaborations"]) for r in rows) == sum(int(r["cases"]) for r in partners) == 33
    per_kind = {}
    for r in rows:
        per_kind[r["kind"]] = per_kind.get(r["kind"], 0) + int(r["collaborations"])
    inter = sum(int(r["cases"]) for r in partners if r["kind"] == "Inter-agency collaboration")
    assert per_kind == {"INTER_AGENCY": inter, "PUBLIC_PRIVATE": 7, "PUBLIC_CIVIC": 2}
    civic = [(r["year"], r["agencyType"], r["collaborations"])
             for r in rows_of("collaboration-kinds", kind="PUBLIC_CIVIC")]
    assert civic == [("2023", "Autonomous district", "1"), ("2018", "Autonomous district", "1")]
    in_2025 = rows_of("collaboration-kinds", year=2025)
    assert {r["year"] for r in in_2025} == {"2025"}
    assert ("INTER_AGENCY", "Metropolitan city", "6", "4") in {
        (r["kind"], r["agencyType"], r["collaborations"], r["cases"]) for r in in_2025}


def test_technology_diffusion_matches_first_adopters():
    for tech in ("IOT", "BIG_DATA"):
        curve = rows_of("technology-diffusion", tech=tech)
        firsts = rows_of("technology-first-adopters", tech=tech)
        years = [int(r["year"]) for r in curve]
        assert years == sorted(years) and len(set(years)) == len(years)
        cumulative = [int(r["cumulativeAdopters"]) for r in curve]
        assert cumulative == sorted(cumulative) and cumulative[-1] == len(firsts)
        for r in curve:
            new = sum(1 for f in firsts if f["firstYear"] == r["year"])
            assert int(r["newAdopters"]) == new, (tech, r)
            assert new <= int(r["adopters"]) <= int(r["cumulativeAdopters"])
    big_data = {r["year"]: (r["adopters"], r["newAdopters"], r["cumulativeAdopters"])
                for r in rows_of("technology-diffusion", tech="BIG_DATA")}
    assert big_data["2019"] == ("2", "1", "6") and big_data["2025"] == ("4", "3", "16")
    every = rows_of("technology-diffusion")
    assert [r for r in every if r["technology"] == "IOT"] == rows_of("technology-diffusion", tech="IOT")


def test_tsv_is_sparql_results_tsv():
    """SPARQL 1.1 TSV results: ?-prefixed header, terms in Turtle syntax (IRIs in <>, strings quoted
    with their language tag, integers bare), one line per row."""
    done = run_cli("query", "evidence", "--data", str(DATA), "--format", "tsv")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "?property\t?value\t?doc\t?start\t?end\t?exact"
    prop, _value, doc, start, end, exact = lines[1].split("\t")
    assert prop.startswith("<http") and prop.endswith(">")
    assert doc.startswith('"') and doc.endswith('.txt"')
    assert int(end) > int(start) >= 0
    assert exact.startswith('"') and exact.endswith('"')
    assert len(lines) == 1 + len(rows_of("evidence"))
