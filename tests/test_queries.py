"""The query library (queries/*.rq) on the published graph data/ttl: every query has its header
and runs; named research queries give real answers; parameters are bound safely."""
from __future__ import annotations

import pytest

from adminkg import paths
from adminkg.errors import InputError
from adminkg.queries import bind, get_query, library, sparql_term
from adminkg.query import run

from .conftest import run_cli

DATA = paths.DATA_TTL_DIR


def rows_of(name: str, **params) -> list[dict[str, str]]:
    results = run(name, DATA, {k: str(v) for k, v in params.items()})
    return [{n: b[n]["value"] if n in b else "" for n in results.vars} for b in results.bindings]


@pytest.mark.parametrize("query", library(), ids=lambda q: q.name)
def test_every_query_has_a_header_and_runs(query):
    assert query.title and query.description, f"{query.path.name}: add '# title:' and '# description:'"
    for name in query.params:
        assert f"${name}" in query.text, f"{query.path.name}: parameter {name} is declared but not used"
    assert run(query.name, DATA).vars


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
    the graph is unchanged."""
    before = len(rows_of("awards-by-contest"))
    assert rows_of("cases-by-technology", tech=value) == []
    assert rows_of("agency-partners", agency=value) == []
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
