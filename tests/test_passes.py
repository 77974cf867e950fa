"""Each pass of the Korean extractor alone, on small texts of our own (loaders/passes/), and the
driver that runs them in the order the lexicon's [pipeline] passes gives (loaders/pipeline.py)."""
from __future__ import annotations

import dataclasses
import re
from datetime import date
from pathlib import Path

import pytest

from adminkg.errors import InputError
from adminkg.loaders import pipeline
from adminkg.loaders.documents import Document
from adminkg.loaders.korean import LEXICON_FILE, KoreanExtractor, Lexicon
from adminkg.loaders.model import Logistic, Model
from adminkg.loaders.passes import PASSES, Analysis, Pass, layout, orgs
from adminkg.loaders.records import Span

# Our own text: a headline, a county's practice quoted and selected, a ministry's list of two more,
# and two bodies no gazetteer lists (a public corporation by its form, a police station).
TEXT = ("새솔군, 어르신 귀갓길 지킨다\n"
        "경기도 수원시는 2024.5.3 ‘어르신 안심 귀갓길 서비스’가 행정안전부 적극행정 우수사례로 선정됐다고 밝혔다.\n"
        "행정안전부는 우수사례로 ▲부산광역시 해운대구 스마트 주차 안내 ▲대전광역시 드론 하천 감시를 선정했다.\n"
        "새솔환경공단과 한빛경찰서가 함께 참여했다.\n")


def document(text: str, **manifest) -> Document:
    return Document(path=Path("own.txt"), name="own.txt", sha256="0" * 64, encoding="utf-8", kind="text",
                    text=text, **manifest)


@pytest.fixture(scope="module")
def lexicon():
    return Lexicon()


@pytest.fixture(scope="module")
def ex(lexicon):
    return KoreanExtractor(lexicon)


def run(ex, doc: Document, until: str) -> Analysis:
    """The document after the configured passes up to and including *until*."""
    a = Analysis(doc)
    for p in ex.pipeline.passes:
        p(ex, a)
        if p.name == until:
            return a
    raise AssertionError(f"no pass {until}")


def lexicon_with(lexicon, tmp_path, passes: str | None) -> Lexicon:
    """The shipped lexicon with another [pipeline] passes line (None: without the table)."""
    text = LEXICON_FILE.read_text(encoding="utf-8")
    if passes is None:
        text = text.replace("[pipeline]\n", "[no_pipeline]\n", 1)
    else:
        text = re.sub(r"^passes = \[[^\]]*\]", f"passes = {passes}", text, count=1, flags=re.M)
    path = tmp_path / "lexicon.toml"
    path.write_text(text, encoding="utf-8")
    return Lexicon(path, vocab=lexicon.vocab, gazetteer=lexicon.gazetteer, gazetteer_graph=lexicon.gaz_graph)


# -- layout ------------------------------------------------------------------------------------

def test_layout_cuts_lines_and_sentences_with_offsets_and_reads_the_date(ex):
    a = run(ex, document(TEXT), "layout")
    assert a.on == date(2024, 5, 3)  # the byline's date
    assert [s.line for s in a.sents] == [0, 1, 2, 3]
    assert all(TEXT[s.start : s.end] == s.text for s in a.sents)
    assert a.sents[1].text.startswith("경기도 수원시는") and a.sents[1].text.endswith("밝혔다.")
    assert [(start, line) for start, _end, line in layout.lines("가나\n\n다라")] == [(0, "가나"), (4, "다라")]
    # the manifest's date comes first
    assert layout.document_date(ex, document(TEXT, date="2023-11-30")) == date(2023, 11, 30)


def test_layout_finds_list_markers_and_quotes_with_offsets(ex):
    sentence = "우수사례로 ▲스마트 주차 안내 △드론 하천 감시를 뽑았다."
    assert [(m.start(), m.group()) for m in layout.list_markers(ex, sentence)] == [(6, "▲"), (17, "△")]
    assert layout.list_markers(ex, "2024-2025년 계획을 세웠다.") == []  # a hyphen inside a line is no marker
    assert [m.start() for m in layout.list_markers(ex, "- 찾아가는 민원실 운영")] == [0]
    s = run(ex, document(TEXT), "layout").sents[1]
    (q,) = layout.quoted(ex, s)
    assert q.text == "어르신 안심 귀갓길 서비스" == TEXT[q.start : q.end]


def test_layout_does_not_cut_a_sentence_inside_a_quotation(ex):
    text = "새솔군은 ‘전국 최초! 밤길 안심 앱’을 열었다. 주민 반응이 좋다."
    sents = layout.sentences(ex, text)
    assert [s.text.strip() for s in sents] == ["새솔군은 ‘전국 최초! 밤길 안심 앱’을 열었다.", "주민 반응이 좋다."]


# -- mentions ----------------------------------------------------------------------------------

def test_mentions_find_gazetteer_bodies_bodies_by_form_and_a_police_station(ex):
    a = run(ex, document(TEXT), "mentions")
    found = {o.span.text: o for o in a.orgs}
    assert all(TEXT[o.span.start : o.span.end] == o.span.text for o in a.orgs)
    assert str(found["경기도 수원시"].iri).endswith("/agency/41110")  # the gazetteer's body
    assert str(found["부산광역시 해운대구"].iri).endswith("/agency/26350")
    corporation = found["새솔환경공단"]  # known by the form of its name (…공단), in no gazetteer
    assert corporation.iri is None and corporation.cls == "PublicInstitution"
    station = found["한빛경찰서"]  # a police station: a unit, which the lexicon gives to 경찰청
    assert station.iri is None and station.cls == "Unit" and orgs.as_agency(ex, station).name == "경찰청"
    assert a.main.name == "경기도 수원시"  # the subject of the opening
    assert a.fullest[found["행정안전부"].iri] == "행정안전부"


def test_mentions_resolve_a_homonym_by_the_province_named(ex):
    named = orgs.find_orgs(ex, "경기도 광주시는 새 제도를 열었다. 광주시는 주민 의견을 들었다.", None)
    orgs.resolve(ex, named)
    assert [o.name for o in named] == ["경기도 광주시", "경기도 광주시"]
    alone = orgs.find_orgs(ex, "광주시는 새 제도를 열었다.", None)
    orgs.resolve(ex, alone)
    assert [o.name for o in alone] == ["광주광역시"]


# -- candidates --------------------------------------------------------------------------------

def test_candidates_propose_a_quoted_title_and_list_items_with_their_bodies(ex):
    a = run(ex, document(TEXT), "candidates")
    got = {c.title: c for c in a.cands}
    quoted = got["어르신 안심 귀갓길 서비스"]
    assert quoted.origin == "quote" and TEXT[quoted.span.start : quoted.span.end] == quoted.title
    parking = got["스마트 주차 안내"]
    assert parking.origin == "list" and parking.agency.name == "부산광역시 해운대구"
    assert a.n_rule == len(a.cands) == 3


def test_candidates_take_the_grade_each_quote_is_given(ex):
    text = ("새솔군은 행정혁신 경진대회 결과를 밝혔다. "
            "최우수상에는 ‘마을 버스 예약제’가, 우수상에는 ‘종이 없는 민원실’이 선정됐다.\n")
    a = run(ex, document(text), "candidates")
    assert {c.title: c.grade for c in a.cands} == {"마을 버스 예약제": "최우수", "종이 없는 민원실": "우수"}


def test_mentions_read_a_municipality_named_with_its_province_s_former_name(ex):
    """전라북도 became 전북특별자치도 in 2024: "전라북도 익산시" is one mention of 익산시, not the
    province and then the city (which made the province a case of its own)."""
    text = "2026년 평가에서 전라북도 익산시와 강원도 춘천시가 뽑혔다.\n"
    a = run(ex, document(text), "mentions")
    assert [(o.span.text, str(o.iri).rsplit("/", 1)[-1]) for o in a.orgs] == [
        ("전라북도 익산시", "52140"), ("강원도 춘천시", "51110")]


@pytest.mark.parametrize("item, title, body, units", [
    ("▲(경상북도 안동시) 폐교를 고친 청년 창업 공간", "폐교를 고친 청년 창업 공간", "경상북도 안동시", []),
    ("▲화재 알림 서비스(경상북도 경주시 안전정책과)", "화재 알림 서비스", "경상북도 경주시", ["안전정책과"]),
])
def test_a_list_item_s_body_in_brackets_before_or_after_its_title(ex, item, title, body, units):
    text = f"경상북도는 적극행정 경진대회에서 우수사례를 선정했다고 밝혔다.\n{item}\n▲마을버스 운행(경상북도 칠곡군)\n"
    a = run(ex, document(text), "candidates")
    got = {c.title: c for c in a.cands if c.origin == "list"}
    assert got[title].agency.name == body and [u for u, _ in got[title].departments] == units
    assert got["마을버스 운행"].agency.name == "경상북도 칠곡군"


def test_items_parted_by_commas_each_with_its_body_in_brackets_are_items_each(ex):
    text = ("경상북도는 적극행정 경진대회에서 우수사례 4건을 선정했다고 밝혔다.\n"
            "▲최우수: (경상북도 안동시) 폐교를 고친 청년 창업 공간, (경상북도 영주시) 빈집 정비 원스톱 지원\n"
            "▲우수: 전통시장 화재 알림(경상북도 경주시), 산불 감시 드론 순찰(경상북도 봉화군 산림과)\n")
    a = run(ex, document(text), "candidates")
    got = {c.title: (c.agency.name, c.grade) for c in a.cands if c.origin == "list"}
    assert got == {"폐교를 고친 청년 창업 공간": ("경상북도 안동시", "최우수"),
                   "빈집 정비 원스톱 지원": ("경상북도 영주시", "최우수"),
                   "전통시장 화재 알림": ("경상북도 경주시", "우수"),
                   "산불 감시 드론 순찰": ("경상북도 봉화군", "우수")}


def test_a_list_item_that_lists_awarded_bodies_is_a_case_of_each(ex):
    text = ("협업 경진대회 결과 선정된 기관은 △최우수(대통령표창) 환경부·한국장애인고용공단 "
            "△우수(국무총리표창) 광주광역시, 부산 북구, 제주 서귀포시이다.\n")
    a = run(ex, document(text), "candidates")
    assert [(c.title, c.agency.name, c.grade) for c in a.cands if c.origin == "list"] == [
        ("", "환경부", "최우수"), ("", "한국장애인고용공단", "최우수"), ("", "광주광역시", "우수"),
        ("", "부산광역시 북구", "우수"), ("", "제주특별자치도 서귀포시", "우수")]


def test_a_table_s_rank_column_of_tier_words_gives_the_grade(ex):
    text = ("경진대회 결과\n순위\t기관\t사례명\n대상\t강원특별자치도 춘천시\t택시 배차 최적화\n"
            "최우수\t한국도로공사\t돌발상황 자동 감지\n")
    a = run(ex, document(text), "candidates")
    assert {c.title: c.grade for c in a.cands if c.origin == "table"} == {
        "택시 배차 최적화": "대상", "돌발상황 자동 감지": "최우수"}


def test_leads_give_a_quoted_title_the_subject_of_its_sentence(ex):
    a = run(ex, document(TEXT), "leads")
    assert {c.title: c.agency.name for c in a.cands}["어르신 안심 귀갓길 서비스"] == "경기도 수원시"


# -- scopes, decisions, assembly ---------------------------------------------------------------

def test_the_only_case_of_a_document_reads_its_whole_text(ex):
    text = "경기도 수원시는 ‘어르신 안심 귀갓길 서비스’가 우수사례로 선정됐다고 밝혔다.\n이 서비스는 밤길을 비춘다.\n"
    a = run(ex, document(text), "scopes")
    (case,) = a.cands
    assert case.scope == [(0, len(text))]


def test_decisions_follow_the_model_and_keep_its_probability(lexicon):
    """A model that trusts the rules' quotes and nothing else keeps the one and drops the others (the
    list items, the proposals); without a model the rules' candidates all stand."""
    model = Model({"case": Logistic({"o=quote": 8.0}, bias=-4.0, threshold=0.5)})
    a = run(KoreanExtractor(lexicon, model=model), document(TEXT), "decide_cases")
    assert [c.title for c in a.cands] == ["어르신 안심 귀갓길 서비스"]
    assert a.cands[0].confidence == pytest.approx(0.982, abs=1e-3)
    assert sorted(c.title for c in a.dropped if c.origin == "list") == ["드론 하천 감시를 선정했다", "스마트 주차 안내"]
    assert any(c.origin.startswith("gen-") for c in a.dropped)  # the model's proposals were decided too
    rules = run(KoreanExtractor(lexicon), document(TEXT), "decide_cases")
    assert len(rules.cands) == 3 and rules.dropped == [] and all(c.confidence is None for c in rules.cands)


def test_assembly_makes_a_record_per_case_with_its_facts(ex):
    records = ex.extract(document(TEXT))
    by_title = {r.title: r for r in records}
    assert set(by_title) == {"어르신 안심 귀갓길 서비스", "스마트 주차 안내", "드론 하천 감시를 선정했다"}
    drone = by_title["드론 하천 감시를 선정했다"]
    assert drone.agency.name == "대전광역시" and [code for code, _ in drone.technologies] == ["DRONE"]
    assert {r.year for r in records} == {2024}  # the document's year


@pytest.mark.parametrize("title, name", [
    ("홀몸 어르신을 위해 새로 도입한 ‘안부 묻는 우편함’", "안부 묻는 우편함"),  # a clause modifies it
    ("새솔환경공단의 '하천 쓰레기 지도'", "하천 쓰레기 지도"),  # an owner
    ("마을 돌봄 플랫폼 ‘이웃사촌’", "마을 돌봄 플랫폼 ‘이웃사촌’"),  # a noun before the quote: one name
    ("함께 걷는 길, ‘골목 산책’", "함께 걷는 길, ‘골목 산책’"),  # a title and its quoted subtitle
    ("어르신 안심 귀갓길 서비스", "어르신 안심 귀갓길 서비스"),
    ("‘똑똑 플러그’는 전기 사용량을 살펴", "똑똑 플러그"),  # a clause goes on about it
    ("‘똑똑 플러그’를 도입해 고독사를 막는다", "똑똑 플러그"),
])
def test_a_record_is_titled_by_the_quoted_name_a_clause_modifies(ex, title, name):
    from adminkg.loaders.passes.titles import quoted_name

    got, span = quoted_name(ex, title, Span(10, 10 + len(title), title))
    assert got == name and span.text == name and span.end - span.start == len(name)
    assert span.start == 10 + title.index(name)


def test_assembly_titles_a_modified_quoted_name_by_the_name(ex):
    """A candidate titled by a whole clause round a quoted name (as a generous proposal is) makes a
    record titled by the name, its span the name's."""
    text = "경기도 수원시는 홀몸 어르신을 위해 새로 도입한 ‘안부 묻는 우편함’이 최우수상을 받았다.\n"
    a = run(ex, document(text), "scopes")
    (cand,) = a.cands
    start = text.index("홀몸")
    end = text.index("’") + 1
    cand.title, cand.span = text[start:end], Span(start, end, text[start:end])
    PASSES["assemble"](ex, a)
    (record,) = a.records
    assert record.title == "안부 묻는 우편함"
    assert text[record.title_span.start : record.title_span.end] == "안부 묻는 우편함"


def test_bodies_a_grade_heads_in_a_list_each_get_it(ex):
    from adminkg.loaders.passes.decisions import heading_grade

    text = "행정안전부는 민원서비스 평가 결과 최우수기관으로 경기도 부천시, 대구광역시 달서구를 선정했다.\n"
    a = run(ex, document(text), "mentions")
    sentence = ex.sentences(text)[0]
    got = {o.span.text: heading_grade(ex, text, sentence, o.span, a.orgs)[0] for o in a.orgs}
    assert got == {"행정안전부": None, "경기도 부천시": "최우수", "대구광역시 달서구": "최우수"}
    # a body with words of its own between the grade and it is not in the grade's list
    text = "최우수기관으로 경기도 부천시를 뽑았고 대구광역시 달서구는 행사를 열었다.\n"
    a = run(ex, document(text), "mentions")
    got = {o.span.text: heading_grade(ex, text, ex.sentences(text)[0], o.span, a.orgs)[0] for o in a.orgs}
    assert got == {"경기도 부천시": "최우수", "대구광역시 달서구": None}


# -- the driver --------------------------------------------------------------------------------

def test_the_shipped_lexicon_orders_every_pass(ex, lexicon):
    names = lexicon.data["pipeline"]["passes"]
    assert ex.pipeline.names == names == list(PASSES)  # every pass, as the registry lists them


def test_each_pass_declares_fields_of_the_analysis():
    fields = {f.name for f in dataclasses.fields(Analysis)}
    for p in PASSES.values():
        assert p.writes and set(p.reads) | set(p.writes) <= fields, p.name
        assert p.description, f"{p.name} says what it does"


def test_the_driver_runs_the_passes_in_the_configured_order(lexicon, tmp_path, monkeypatch):
    ran = []

    def spy(p: Pass) -> Pass:
        def function(ex, a):
            ran.append(p.name)
            p.function(ex, a)
        return Pass(p.name, function, p.reads, p.writes)

    monkeypatch.setattr(pipeline, "PASSES", {name: spy(p) for name, p in PASSES.items()})
    order = ["layout", "mentions", "candidates", "leads", "merge", "scopes", "awards", "assemble", "finish"]
    ex = KoreanExtractor(lexicon_with(lexicon, tmp_path, repr(order)))
    records = ex.extract(document(TEXT))
    assert ran == order
    # without the model's passes, the rules alone build what the whole pipeline builds without a model
    assert [(r.title, r.agency.name) for r in records] == [
        (r.title, r.agency.name) for r in KoreanExtractor(lexicon).extract(document(TEXT))]


@pytest.mark.parametrize("passes, problem", [
    ('["layout", "mentoins", "candidates"]', "no pass named 'mentoins' (the passes: layout, mentions"),
    ('["layout", "candidates", "mentions", "assemble"]', "'candidates' reads orgs, which no pass before it writes"),
    ('["layout", "mentions"]', "no pass writes the records"),
    ('"layout"', "must be a list of pass names"),
    (None, "no [pipeline] passes"),
])
def test_a_bad_pipeline_is_a_clear_error_naming_the_lexicon(lexicon, tmp_path, passes, problem):
    bad = lexicon_with(lexicon, tmp_path, passes)
    with pytest.raises(InputError) as caught:
        KoreanExtractor(bad)
    assert str(caught.value).startswith(f"{bad.file}: ") and problem in str(caught.value)


def test_the_readme_lists_the_passes_in_their_order(lexicon):
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    table = readme.split("| pass | module | what it does |", 1)[1].split("\n\n", 1)[0]
    listed = [name for row in table.splitlines()[2:] for name in re.findall(r"`(\w+)`", row.split(" | ")[0])]
    assert listed == lexicon.data["pipeline"]["passes"]


def test_every_window_the_passes_read_is_in_the_lexicon_and_read(lexicon):
    """The passes' windows are configuration ([windows] of the lexicon): each one they read is there,
    and each one there is read (the code read as text: ``ex.cfg["windows"][…]`` or ``win[…]``)."""
    folder = Path(__file__).resolve().parent.parent / "loaders" / "passes"
    code = "\n".join(p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.py")))
    read = set(re.findall(r'(?:ex\.cfg\["windows"\]|\bwin)\["(\w+)"\]', code))
    assert read and read == set(lexicon.data["windows"])
