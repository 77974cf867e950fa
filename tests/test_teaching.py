"""Curated decisions teach the extractor (adminkg train --curation): a tiny training set of our own
writing (tests/fixtures/teaching: two annotated documents, four documents nobody annotated, one
unseen document of the same kind), trained twice, once with the curator accepting the partners of
the four documents and once rejecting them; the unseen document's partner follows the decision."""
from __future__ import annotations

import csv
import json

import pytest

from adminkg.build import build
from adminkg.query import run
from adminkg.review import CSV_COLUMNS, review_queue
from adminkg.teaching import curated_gold

from .conftest import ROOT, run_cli

FIXTURES = ROOT / "tests" / "fixtures" / "teaching"
CORPUS, GOLD, UNSEEN = FIXTURES / "corpus", FIXTURES / "gold.json", FIXTURES / "unseen"


@pytest.fixture(scope="module")
def decisions(tmp_path_factory):
    """The partner items of the review queue of the corpus built with the model that ships, decided
    both ways: accept.csv and reject.csv."""
    tmp = tmp_path_factory.mktemp("teaching")
    build([CORPUS], tmp / "built", store=False)
    items = review_queue(tmp / "built", max_confidence=1, kind="partner")
    annotated = {d["doc"] for d in json.loads(GOLD.read_text(encoding="utf-8"))}
    assert len({i.file for i in items} - annotated) >= 3, "the unannotated documents should each have a partner"
    out = {}
    for action in ("accept", "reject"):
        out[action] = tmp / f"{action}.csv"
        with open(out[action], "w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=CSV_COLUMNS, extrasaction="ignore")
            w.writeheader()
            for i in items:
                note = "an institution that only supplied data is no partner" if action == "reject" else ""
                w.writerow({**i.__dict__, "action": action, "curator": "Choi", "date": "2026-12-04", "note": note})
    return out, items


def test_curated_documents_become_gold_records(decisions):
    files, items = decisions
    records, report = curated_gold([files["reject"]], [CORPUS], exclude={"library-suwon.txt"})
    assert not report.stale and len(report.applied) == len(items)
    docs = {r["doc"] for r in records}
    assert docs == {i.file for i in items} - {"library-suwon.txt"}
    assert all(c["partners"] == [] and c["title"] and c["agency"] for r in records for c in r["cases"])
    accepted, _ = curated_gold([files["accept"]], [CORPUS])
    assert all(c["partners"] for r in accepted for c in r["cases"])


def test_a_curated_decision_changes_the_retrained_models_output_on_an_unseen_document(decisions, tmp_path):
    files, _items = decisions
    partners = {}
    for action, path in files.items():
        model = tmp_path / f"model-{action}.json"
        done = run_cli("train", "--gold", str(GOLD), "--corpus", str(CORPUS), "--curation", str(path),
                       "--out", str(model))
        assert done.returncode == 0, done.stderr[-2000:]
        assert "curated documents: 4" in done.stdout
        build([UNSEEN], tmp_path / action, store=False, model=model)
        rows = run("cases", tmp_path / action).rows
        assert [r["title"] for r in rows] == ["민원서류 드론 배달 서비스"]   # the case itself is found either way
        partners[action] = rows[0]["partners"]
    assert partners["accept"] == "한국국토정보공사"
    assert not partners["reject"]


def test_train_names_curation_that_teaches_nothing(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text(",".join(CSV_COLUMNS) + "\n", encoding="utf-8")
    done = run_cli("train", "--gold", str(GOLD), "--corpus", str(CORPUS), "--curation", str(empty),
                   "--out", str(tmp_path / "m.json"))
    assert done.returncode == 2 and "empty.csv" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "m.json").exists()
