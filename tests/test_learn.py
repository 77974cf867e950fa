"""The learned decisions, pass by pass, on small texts of our own; training reproduces the model
that ships, byte for byte; folds keep documents that tell the same story together."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from adminkg import learn
from adminkg.loaders.align import agency_key, title_equal
from adminkg.loaders.generate import propose
from adminkg.loaders.korean import KoreanExtractor
from adminkg.loaders.model import MODEL_FILE, Logistic, Model, Trees, fit

from .conftest import ROOT, run_cli


@pytest.fixture(scope="module")
def extractor():
    return KoreanExtractor()


# -- model -------------------------------------------------------------------------------------

def test_fit_learns_a_separable_decision_and_is_deterministic():
    examples = [(["word=a", "len=short"], 1), (["word=b", "len=short"], 0)] * 20 + [(["word=a"], 1), (["word=b"], 0)]
    first, second = fit(examples, l2=0.1), fit(examples, l2=0.1)
    assert first.as_dict() == second.as_dict()
    assert first.probability(["word=a"]) > 0.8 > 0.2 > first.probability(["word=b"])
    assert first.probability(["never-seen"]) == pytest.approx(first.probability([]))


def test_rare_features_are_left_out():
    model = fit([(["common", "once"], 1)] + [(["common"], 0)] * 3, min_count=2)
    assert "once" not in model.weights and "common" in model.weights


def test_model_round_trips_as_json_and_refuses_other_files(tmp_path):
    model = Model({"case": Logistic({"x": 1.5}, bias=-0.5, threshold=0.4)}, meta={"documents": 1})
    text = model.dumps()
    again = Model.loads(text)
    assert again.dumps() == text and again.probability("case", ["x"]) == pytest.approx(0.7310585786)
    assert again.probability("agency", ["x"]) is None
    with pytest.raises(ValueError, match="not an adminkg model"):
        Model.loads(json.dumps({"format": "pickle?", "decisions": {}}), source="m.json")


def test_trees_score_by_walking_their_splits_and_round_trip_as_json():
    # a stump on "a", then a tree asking "b" where "a" is present
    trees = Trees([["a", -1.0, 1.0], ["a", 0.0, ["b", 0.5, -2.0]]], threshold=0.3)
    assert trees.probability([]) == pytest.approx(1 / (1 + 2.718281828 ** 1.0))
    assert trees.probability(["a"]) == pytest.approx(1 / (1 + 2.718281828 ** -1.5))
    assert trees.probability(["a", "b"]) == pytest.approx(1 / (1 + 2.718281828 ** 1.0))
    model = Model({"agency": trees, "case": Logistic({"x": 1.0})})
    again = Model.loads(model.dumps())
    assert isinstance(again.decisions["agency"], Trees) and again.dumps() == model.dumps()
    assert again.probability("agency", ["a"]) == trees.probability(["a"])
    import pickle  # Dask sends the model to its workers

    assert pickle.loads(pickle.dumps(again)).probability("agency", ["a", "b"]) == trees.probability(["a", "b"])


def test_a_model_file_with_a_bad_tree_or_kind_is_refused():
    for bad in ([["a", 1.0]], [["a", "__import__('os')", 1.0]], [[1, 0.0, 1.0]]):
        text = json.dumps({"format": "adminkg-model/2", "decisions": {"agency": {"kind": "trees", "threshold": 0.5,
                                                                                  "trees": bad}}})
        with pytest.raises(ValueError, match="tree"):
            Model.loads(text)
    text = json.dumps({"format": "adminkg-model/2", "decisions": {"case": {"kind": "forest", "threshold": 0.5}}})
    with pytest.raises(ValueError, match="unknown kind 'forest'"):
        Model.loads(text)
    # a model of the first format (logistic decisions only) still reads
    old = json.dumps({"format": "adminkg-logistic/1", "decisions": {"case": {"bias": 0.0, "threshold": 0.5,
                                                                              "weights": {"x": 2.0}}}})
    assert Model.loads(old).probability("case", ["x"]) == pytest.approx(0.8807970780)


def test_fit_trees_learns_an_interaction_deterministically():
    # yes when "a" without "b": no weight per feature can say it, trees can
    examples = [(["a"], 1), (["a", "b"], 0), (["b"], 0), ([], 0)] * 30
    first, second = (learn.fit_trees(examples, rounds=60, learning_rate=0.3) for _ in range(2))
    assert first.as_dict() == second.as_dict()
    assert first.probability(["a"]) > 0.8 and first.probability(["a", "b"]) < 0.2 and first.probability([]) < 0.2


def test_the_shipped_model_is_data():
    data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    assert data["format"] == "adminkg-model/2"
    assert {"case", "agency", "body", "technology", "beneficiary", "department", "partner"} <= set(data["decisions"])
    kinds = {name: d.get("kind", "logistic") for name, d in data["decisions"].items()}
    assert kinds["agency"] == "trees" and kinds["case"] == "logistic"
    for d in data["decisions"].values():
        assert 0 <= d["threshold"] < 1
        if d.get("kind") == "trees":
            assert d["trees"] and all(isinstance(t, (list, float)) for t in d["trees"])
        else:
            assert all(isinstance(w, float) for w in d["weights"].values())


def test_training_reproduces_the_shipped_model(shared, tmp_path):
    out = tmp_path / "model.json"
    training = ROOT / "loaders" / "models" / "training"  # our own documents, as `make model` trains
    done = run_cli("train", "--gold", str(shared / "corpus" / "gold.json"), "--gold", str(training / "gold.json"),
                   "--corpus", str(shared / "corpus"), "--corpus", str(training), "--out", str(out))
    assert done.returncode == 0, done.stderr[-2000:]
    assert out.read_bytes() == MODEL_FILE.read_bytes(), "run `make model` and commit loaders/models/extraction.json"
    assert "threshold" in done.stdout and "case" in done.stdout


def test_train_names_a_bad_gold_file(tmp_path):
    bad = tmp_path / "gold.json"
    bad.write_text("{not json", encoding="utf-8")
    done = run_cli("train", "--gold", str(bad), "--corpus", str(tmp_path), "--out", str(tmp_path / "m.json"))
    assert done.returncode == 2 and "gold.json" in done.stderr and not (tmp_path / "m.json").exists()


def test_train_names_documents_the_corpus_lacks(tmp_path):
    gold = tmp_path / "gold.json"
    gold.write_text(json.dumps([{"doc": "absent.txt", "cases": []}]), encoding="utf-8")
    done = run_cli("train", "--gold", str(gold), "--corpus", str(tmp_path), "--out", str(tmp_path / "m.json"))
    assert done.returncode == 2 and "absent.txt" in done.stderr


def test_build_names_a_bad_model_file(tmp_path):
    model = tmp_path / "model.json"
    model.write_text("[]", encoding="utf-8")
    done = run_cli("build", "--corpus", str(Path(__file__).parent / "fixtures" / "documents"), "--out",
                   str(tmp_path / "kg"), "--model", str(model), "--no-store")
    assert done.returncode == 2 and "model.json" in done.stderr


# -- alignment and labels ------------------------------------------------------------------------

def test_agency_keys_and_titles_follow_the_annotation_conventions():
    assert agency_key("서울특별시 강서구") == agency_key("서울 강서구") == agency_key("서울시 강서구") == "서울/강서구"
    assert agency_key("국민건강보험공단") == "국민건강보험공단"
    assert title_equal("스마트 버스정류장 운영", "스마트 버스정류장 운영 사업")
    assert not title_equal("스마트 버스정류장", "찾아가는 건강 상담")
    assert title_equal("", "") and not title_equal("", "무엇")


def test_folds_keep_a_story_and_a_contest_together():
    def doc(name, *cases):
        return learn.AnnotatedDocument(doc=name, gold=list(cases))

    same_story = {"agency": "경기도 수원시", "title": "골목길 안심 조명 설치"}
    contest = {"agency": "강원특별자치도", "title": "산불 감시 드론",
               "awards": [{"contest": "2025 강원 적극행정 경진대회", "year": 2025}]}
    docs = [doc("a", same_story), doc("b", dict(same_story)), doc("c", contest),
            doc("d", dict(contest, title="다른 사례")), doc("e", {"agency": "국세청", "title": "홈택스 간편신고"}),
            doc("f", {"agency": "관세청", "title": "통관 알림"})]
    fold_of = learn.folds(docs, 3)
    assert fold_of[0] == fold_of[1] and fold_of[2] == fold_of[3]
    assert len(set(fold_of)) == 3


# -- passes on our own words -----------------------------------------------------------------------

def _propose(extractor, text, bodies=()):
    cfg = dict(extractor.cfg["generate"],
               quotes=extractor.cfg["cases"]["quotes"] | extractor.cfg["generate"]["more_quotes"])
    return [(p.origin, p.text(text)) for p in propose(text, cfg, bodies)]


def test_proposals_cover_quotes_items_lines_and_cells(extractor):
    text = ("우리 시 혁신 사례 발표\n"
            "올해는 ‘민원 한 번에 끝내기’를 비롯해 ▲빈집 정비 지도 제작(건축과) ▲어르신 안부 문자 발송 등이 뽑혔다.\n"
            "1\t건축과\t빈집 정비 지도 제작\n")
    found = _propose(extractor, text)
    assert ("gen-quote", "민원 한 번에 끝내기") in found
    assert ("gen-item", "빈집 정비 지도 제작") in found  # the unit in brackets is not the title
    assert ("gen-item", "어르신 안부 문자 발송") in found  # ends before 등이
    assert ("gen-line", "우리 시 혁신 사례 발표") in found
    assert ("gen-cell", "빈집 정비 지도 제작") in found


def test_phrases_follow_a_body_up_to_a_comma(extractor):
    text = "심사 결과 관세청의 수출 서류 자동 점검, 국세청의 간편 신고 도우미가 우수사례로 꼽혔다."
    starts = [(text.index("관세청"), text.index("관세청") + 3), (text.index("국세청"), text.index("국세청") + 3)]
    phrases = [t for o, t in _propose(extractor, text, starts) if o == "gen-phrase"]
    assert "수출 서류 자동 점검" in phrases and "간편 신고 도우미" in phrases
    assert not any("," in p for p in phrases)


def test_a_clause_whose_subject_is_a_unit_is_no_proposed_title(extractor):
    doc = extractor_doc("경기도 가평군은 복지정책과가 사업을 맡아 어르신 40명에게 말벗 로봇을 보급했다.")
    seen = []
    KoreanExtractor(extractor.lex, observe=lambda kind, _d, item, feats: seen.append((kind, item))).extract(doc)
    titles = [item.title for kind, item in seen if kind == "case"]
    assert titles and not any(t.startswith("복지정책과가") for t in titles)


def test_a_body_named_after_its_place_is_read_whole(extractor):
    names = [o.name for o in extractor.find_orgs("대전광역시교육청과 거제시시설관리공단이 함께 했다.", None)]
    assert names == ["대전광역시교육청", "거제시시설관리공단"]


def test_case_features_carry_the_rules_votes(extractor):
    doc = extractor_doc("충청북도 청주시는 ‘하천 쓰레기 감시 카메라’로 최우수상을 받았다고 밝혔다.")
    seen = []
    KoreanExtractor(extractor.lex, observe=lambda kind, _d, item, feats: seen.append((kind, item, feats))).extract(doc)
    cases = {item.title: feats for kind, item, feats in seen if kind == "case"}
    feats = cases["하천 쓰레기 감시 카메라"]
    assert "rule=True" in feats and "graded=True" in feats and "title_like=True" in feats
    agencies = [(item[1].name, feats) for kind, item, feats in seen if kind == "agency"]
    assert any(name == "충청북도 청주시" and "chosen=True" in f for name, f in agencies)


def test_a_model_without_a_decision_leaves_it_to_the_rules(extractor):
    doc = extractor_doc("전라남도 순천시는 ‘어린이 보호구역 노란 발자국’으로 우수상을 받았다.")
    rules = KoreanExtractor(extractor.lex).extract(doc)
    empty = KoreanExtractor(extractor.lex, model=Model()).extract(doc)
    assert [(r.title, r.agency.name) for r in rules] == [(r.title, r.agency.name) for r in empty]
    assert all(not r.confidence for r in empty)


def test_the_model_gives_every_fact_a_confidence(extractor):
    doc = extractor_doc("경상남도 김해시는 인공지능 CCTV로 어르신 실종을 막는 ‘안심 귀갓길 지킴이’로 대상을 받았다. "
                        "시는 ㈜누리보듬과 협력해 홀몸 어르신 300명에게 서비스를 제공했다.")
    recs = KoreanExtractor(extractor.lex, model=Model.load()).extract(doc)
    assert recs
    for rec in recs:
        assert 0 < rec.confidence["case"] <= 1 and 0 < rec.confidence["agency"] <= 1
        for code, _span in rec.technologies:
            assert f"technology:{code}" in rec.confidence
        for _concept, surface, _span in rec.beneficiaries:
            assert f"beneficiary:{surface}" in rec.confidence


def extractor_doc(text: str):
    from adminkg.loaders.documents import Document

    return Document(path=Path("own.txt"), name="own.txt", sha256="0" * 64, encoding="utf-8", kind="text", text=text)
