"""The metrics pass (loaders/metrics.py) on small texts written for these tests, and the metrics
a build publishes: what each measures, with evidence."""
from __future__ import annotations

import ast
import re
from decimal import Decimal

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import RDF

from adminkg.build import build
from adminkg.loaders.metrics import LEXICON_FILE, MetricFinder, default_finder, find_metrics
from adminkg.namespaces import AKG, OA, SCHEMA


def one(text: str):
    found = find_metrics([(0, text)])
    assert len(found) == 1, [(m.span.text, m.quantity) for m in found]
    return found[0]


def none_in(text: str) -> None:
    found = find_metrics([(0, text)])
    assert found == [], [(m.span.text, m.quantity) for m in found]


# -- what a figure measures ----------------------------------------------------------------------
@pytest.mark.parametrize("text, quantity", [
    ("이 사업으로 연간 약 3억 2천만 원의 운영비를 절감했다.", "운영비"),              # N의 X
    ("무단투기 적발 건수는 전년보다 42% 감소했다.", "무단투기 적발 건수"),           # X는 (전년보다) N
    ("청년 창업자 340여 명이 교육을 수료했다.", "청년 창업자"),                     # X N명이
    ("불법 광고물 5,300건을 수거했다.", "불광 광고물".replace("불광", "불법")),       # X N건을
    ("군은 관내 12개 경로당에 안심 센서를 설치했다.", "경로당"),                     # N개 X에
    ("지난달 210명이 새로 가입했다.", "가입"),                                     # the action counted
    ("가로등 고장 신고가 전년 대비 120건 줄었다.", "가로등 고장 신고"),
])
def test_quantity_is_the_phrase_the_figure_measures(text, quantity):
    m = one(text)
    assert m.quantity == quantity
    assert m.quantity_span is not None and text[m.quantity_span.start : m.quantity_span.end] == quantity


def test_quantity_and_figure_are_spans_of_the_document():
    text = "머리말.\n구청은 주민 대기시간을 15분에서 4분으로 줄였다."
    m = find_metrics([(100, text)])[0]
    assert (m.span.start, m.span.end) == (100 + text.index("15분"), 100 + text.index("으로") + 2)
    assert m.quantity_span.start == 100 + text.index("주민 대기시간")


def test_a_phrase_counted_by_an_earlier_figure_is_not_taken():
    """"5개 분야 243개소": 분야 is what 5개 counts, not what 243개소 measures."""
    found = {m.span.text: m.quantity for m in find_metrics([(0, "쉼터와 대피소 등 5개 분야 243개소를 새로 지정했다.")])}
    assert found.get("243개소") != "분야"


# -- values before and after, kinds of change -------------------------------------------------------
def test_before_after_and_change():
    m = one("구청은 무인민원발급기를 늘려 주민 대기시간을 15분에서 4분으로 줄였다.")
    assert (m.before, m.after, m.value, m.unit) == (15, 4, 4, "분")
    assert m.change == "TIME_REDUCTION"  # a decrease of a time is time saved
    assert m.quantity == "주민 대기시간"


def test_an_after_word_stands_for_zero():
    m = one("허가 처리 기간을 10일에서 당일로 단축했다.")
    assert (m.before, m.after, m.change) == (10, 0, "TIME_REDUCTION")


@pytest.mark.parametrize("text, change", [
    ("재활용 분리배출 비율이 31% 향상됐다.", "INCREASE"),
    ("연간 약 4천만 원의 우편 발송비를 절감했다.", "SAVING"),
    ("체납 지방세 2억 원을 징수했다.", "RECOVERY"),
    ("야간 소음 민원이 25% 감소했다.", "DECREASE"),
])
def test_change_words(text, change):
    assert one(text).change == change


@pytest.mark.parametrize("written, value, unit", [
    ("1억 7천여만 원", Decimal(17000), "만 원"),   # money keeps its last large magnitude as written
    ("5000만원", Decimal(5000), "만원"),
    ("27백만원", Decimal(2700), "만원"),
    ("3만7000여 명", Decimal(37000), "명"),       # other units take the whole value
    ("1만 1,500건", Decimal(11500), "건"),
    ("12.5%", Decimal("12.5"), "%"),
])
def test_numerals_with_magnitude_words(written, value, unit):
    m = one(f"올해 민원 서비스 이용이 {written} 늘었다.")
    assert (m.span.text, m.value, m.unit) == (written, value, unit)


# -- numbers that are no outcome ------------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "민원 콜센터를 24시간 운영하며 365일 연중무휴로 상담한다.",           # service hours
    "제5회 도민 행복 박람회에서 발표했다.",                              # an ordinal in a name
    "올해로 7회째를 맞은 대회다.",
    "2025 대한민국 안전 축제에 참가했다.",                                # a year in a name: no unit
    "4대 보험 가입을 돕는 사업이다.",                                      # the N major …
    "행사는 10월 12일 열렸고 사업은 2019년에 시작했다.",                  # dates
    "문의는 031-123-4567로 하면 된다.",                                   # a phone number
    "오후 3시 30분에 시작한다.",                                          # a clock time
    "60대 이상 어르신과 40~70대 주민이 대상이다.",                        # ages
    "상담 창구는 10분마다 대기 인원을 알려 준다.",                        # a frequency
    "조성된 지 15년 이상된 놀이터를 고쳤다.",                              # an age of things
])
def test_no_outcome_figures_are_rejected(text):
    none_in(text)


@pytest.mark.parametrize("text", [
    "올해 공모에는 52건이 접수됐고 심사를 거쳐 최우수 1건, 우수 2건을 뽑았다.",
    "전국 243개 지방자치단체 중 우수기관으로 뽑혔다.",
    "이번 대회에는 40여 개 팀이 참가해 경쟁했다.",
    "적극행정 우수사례 6건 선정",
])
def test_contest_statistics_are_rejected(text):
    none_in(text)


@pytest.mark.parametrize("text", [
    "최우수상을 받아 상금 300만 원과 특별교부세 1억 원을 받았다.",
    "최우수상 1건(100만 원), 우수상 2건(각 50만 원)을 시상했다.",
    "우수 부서에는 포상금 200만원이 주어진다.",
    "5000만원 상당의 특별교부세를 확보했다.",
])
def test_prize_money_is_no_metric(text):
    none_in(text)


@pytest.mark.parametrize("text", [
    "작년 한 해 민원 4,200건을 분석한 결과 주차 불편이 가장 많았다.",   # the problem
    "하루 평균 300건의 문의전화로 인해 업무가 마비됐다.",
    "내년까지 30곳에 추가로 설치할 계획이다.",                          # a plan
    "사업비 5억 원을 투입해 시스템을 만들었다.",                        # an input
])
def test_problem_plan_and_input_figures_are_rejected(text):
    none_in(text)


def test_an_expected_effect_is_kept():
    m = one("새 시스템으로 연간 2억 원의 인쇄 비용을 절감할 것으로 기대된다.")
    assert (m.value, m.change, m.quantity) == (2, "SAVING", "인쇄 비용")


def test_a_duration_is_kept_where_a_date_is_not():
    m = one("신고 접수 후 3일 만에 처리했다.")
    assert (m.value, m.unit) == (3, "일")


# One sentence of our own for each kind of figure that is no result. Every filter of the lexicon
# must reject at least one of them on its own (a pattern no sentence shows is not kept).
NO_RESULT = {
    "민원 콜센터를 24시간 운영한다.": "service hours",
    "제5회 도민 행복 박람회에서 발표했다.": "ordinal",
    "데이터안심구역 1호로 지정됐다.": "ordinal",
    "소형1t 트럭을 개조했다.": "inside a word",
    "오후 3시 30분에 시작한다.": "time of day",
    "신청은 2024. 3. 15일까지 받는다.": "dates, phone numbers and codes",
    "2021년 이후 예산절감이 이어졌다.": "years",
    "10년간 지연되던 도로 개설을 마쳤다.": "years",
    "'18년 5월 서비스를 시작했다.": "years",
    "행사는 10월 12일 열렸다.": "dates",
    "약 2개월간 현장 조사를 했다.": "period",
    "상담 창구는 10분마다 대기 인원을 알려 준다.": "frequency",
    "연 1회 개최하는 대회다.": "frequency",
    "공공기관 임직원 13명당 1명꼴로 재택근무를 한다.": "rate",
    "60대 이상 어르신이 대상이다.": "age",
    "40~70대 주민이 참여했다.": "age",
    "4대 보험 가입을 돕는다.": "category",
    "서류는 4주 이내 제출 시 인정된다.": "rule",
    "최대 2천만원까지 보장하는 보험이다.": "rule",
    "최우수상을 받아 상금 300만 원을 받았다.": "prize money",
    "5000만원 상당의 특별교부세를 확보했다.": "prize money",
    "최우수상 1건(100만 원)을 시상했다.": "prize money",
    "올해 공모에는 52건이 접수됐다.": "contest statistics",
    "적극행정 우수사례 6건 선정": "contest statistics",
    "아름다운 도전 2팀이 나왔다.": "contest statistics",
    "최우수 1건, 우수 2건을 뽑았다.": "contest statistics",
    "전문가 심사를 거친 8건이 본선에 올랐다.": "contest statistics",
    "총 65건 중 10건이 본선에 올랐다.": "contest statistics",
    "총 306개 기관을 대상으로 평가했다.": "contest statistics",
    "올해 접수된 사례 40건을 검토했다.": "contest statistics",
    "심사는 서면(30%)과 발표(70%)로 진행했다.": "scores and weights",
    "협의회에는 11기관이 함께했다.": "participants",
    "22개 시·군 담당자가 모였다.": "participants",
    "사업비 5억 원이 들었다.": "input",
    "도는 2억원의 예산을 지원하고 홍보물을 배포했다.": "input",
    "사업비로 7억 원을 투입해 구축했다.": "input",
    "작년 한 해 민원 4,200건을 분석한 결과 주차 불편이 가장 많았다.": "problem",
    "연간 매립비용만 25억원이 드는 석탄재를 재활용했다.": "problem",
    "내년까지 30곳에 추가로 설치할 계획이다.": "plan",
}


@pytest.mark.parametrize("sentence, reason", NO_RESULT.items())
def test_each_kind_of_no_result(sentence, reason):
    explained = default_finder().explain(sentence)
    assert explained and all(r is not None for _f, r in explained), explained
    assert reason in {r for _f, r in explained}


def test_every_filter_is_shown_by_a_sentence():
    finder = MetricFinder()
    filters = finder.filters
    unshown = []
    for f in filters:
        finder.filters = [f]
        if not any(r is not None for s in NO_RESULT for _fig, r in finder.explain(s)):
            unshown.append((f["name"], f["why"]))
    assert unshown == []


def test_each_filter_names_its_reason():
    finder = default_finder()
    sent = "최우수상을 받아 상금 300만 원을 받았다."
    start = sent.index("300")
    assert finder.rejection(sent, start, sent.index("원을") + 1, "원", None) == "prize money"


# -- scope of a case -----------------------------------------------------------------------------------
def test_a_figure_told_twice_is_one_metric():
    text = "드론 촬영으로 예산 3억원 절감\n드론으로 항공 사진을 찍어 3억원의 예산을 절감했다."
    found = find_metrics([(0, text)])
    assert [(m.value, m.quantity) for m in found] == [(3, "예산")]
    assert found[0].span.start > text.index("\n")  # the body's telling, not the headline's


def test_at_most_per_case_metrics_change_first(tmp_path):
    lexicon = tmp_path / "metrics.toml"
    lexicon.write_text(re.sub(r"per_case = \d+", "per_case = 2", LEXICON_FILE.read_text(encoding="utf-8")),
                       encoding="utf-8")
    finder = MetricFinder(lexicon)
    found = finder.find([(0, "경로당 12곳에 센서를 달았다. 주민 300명이 썼다. 낙상 사고가 40% 줄었다.")])
    assert [m.span.text for m in found] == ["12곳", "40%"]


def test_the_pass_holds_no_words():
    """Every word and pattern is in the lexicon: no Hangul in the module's code (docstrings aside)."""
    source = (LEXICON_FILE.parent.parent / "metrics.py").read_text(encoding="utf-8")
    tree = ast.parse(source)
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
        and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)
    }
    literals = [n.value for n in ast.walk(tree)
                if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docstrings]
    assert not [s for s in literals if re.search("[가-힣]", s)]


# -- the published graph ----------------------------------------------------------------------------------
RELEASE = """종로구, 모바일 민원 안내로 처리 기간 단축

서울특별시 종로구는 모바일 앱으로 민원 진행 상황을 알려 주는 ‘민원 알림 서비스’를 도입해 \
주차 허가 처리 기간을 7일에서 2일로 단축했다고 밝혔다. 이 서비스로 연간 약 4천만 원의 우편 발송비를 절감했다. \
민원 상담 창구는 24시간 운영된다.
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    corpus = tmp_path_factory.mktemp("corpus")
    (corpus / "release.txt").write_text(RELEASE, encoding="utf-8")
    out = tmp_path_factory.mktemp("kg")
    report = build([corpus], out, store=False)
    return report, Graph().parse(out / "cases.ttl")


def test_built_metrics_say_what_they_measure_with_evidence(built):
    report, g = built
    metrics = set(g.subjects(RDF.type, AKG.Metric))
    quantities = {str(g.value(m, AKG.measuredQuantity)) for m in metrics}
    assert quantities == {"처리 기간", "우편 발송비"}  # and not the service's 24시간
    assert report.facts["measuredQuantity"] == 2
    for metric in metrics:
        quantity = g.value(metric, AKG.measuredQuantity)
        assert quantity.language == "ko"
        evidence = [e for e in g.subjects(OA.hasBody, metric)
                    if (e, AKG.assertedProperty, AKG.measuredQuantity) in g]
        assert len(evidence) == 1
        target = g.value(evidence[0], OA.hasTarget)
        selectors = list(g.objects(target, OA.hasSelector))
        quote = next(s for s in selectors if (s, RDF.type, OA.TextQuoteSelector) in g)
        position = next(s for s in selectors if (s, RDF.type, OA.TextPositionSelector) in g)
        assert g.value(quote, OA.exact) == Literal(str(quantity))
        start, end = int(g.value(position, OA.start)), int(g.value(position, OA.end))
        assert RELEASE[start:end] == str(quantity)


def test_built_time_saving_has_values_before_and_after(built):
    _report, g = built
    metric = next(m for m in g.subjects(RDF.type, AKG.Metric) if str(g.value(m, AKG.measuredQuantity)) == "처리 기간")
    assert (g.value(metric, AKG.valueBefore).toPython(), g.value(metric, AKG.valueAfter).toPython()) == (7, 2)
    assert str(g.value(metric, SCHEMA.unitText)) == "일"
    assert str(g.value(metric, AKG.changeKind)).endswith("/time-reduction")
