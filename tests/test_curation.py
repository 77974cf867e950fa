"""Curators' decisions survive re-extraction: documents of our own (tests/fixtures/curation) are
built, reviewed, decided on in a curation CSV and built again, also after the corpus changed.

Targets are read from the first build (which case, which quote), never assumed, so the tests hold
whatever the extraction model decides for these documents.
"""
from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, SKOS

from adminkg.build import build
from adminkg.curation import WIKIBASE, read_overrides
from adminkg.namespaces import AKG, OA, ORG
from adminkg.query import run
from adminkg.review import CSV_COLUMNS, read_doccano, review_queue, write_csv, write_doccano
from adminkg.validate import validate

from .conftest import ROOT, run_cli

FIXTURES = ROOT / "tests" / "fixtures" / "curation"
LIBRARY = "library-suncheon-2025.txt"
PARKING = ("parking-jeonju-2025.txt", "parking-jeonju-followup-2025.txt")
GANGNAM = "https://w3id.org/adminkg/agency/11680"


def corpus_copy(tmp: Path) -> Path:
    root = tmp / "corpus"
    shutil.copytree(FIXTURES, root)
    return root


def cases(out: Path) -> list[dict]:
    return run("cases", out).rows


def queue_row(out: Path, corpus: Path, **match) -> dict:
    """The review-queue item (a CSV row) matching *match*, at any confidence."""
    items = review_queue(out, max_confidence=1, corpus=[corpus])
    rows = [i for i in items if all(getattr(i, k) == v for k, v in match.items())]
    assert rows, f"no queue item with {match}"
    return {k: " ".join(v.split()) if k == "context" else v for k, v in rows[0].__dict__.items() if k in CSV_COLUMNS}


def write_decisions(path: Path, rows: list[dict]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=CSV_COLUMNS, extrasaction="ignore")
        w.writeheader()
        for r in rows:
            w.writerow({"curator": "Kim Curator", "date": "2026-12-01", **r})
    return path


@pytest.fixture(scope="module")
def first(tmp_path_factory):
    """A corpus and its first build, with no decisions."""
    tmp = tmp_path_factory.mktemp("first")
    corpus = corpus_copy(tmp)
    build([corpus], tmp / "out", store=False)
    return corpus, tmp / "out"


def test_corrected_agency_survives_a_rebuild_of_a_changed_corpus(first, tmp_path):
    corpus, out = first
    row = queue_row(out, corpus, kind="agency", file=LIBRARY)
    assert row["value"] != GANGNAM and row["context"], row
    (tmp_path / "curation").mkdir()
    decisions = write_decisions(tmp_path / "curation" / "agencies.csv",
                                [{**row, "action": "correct", "correction": "11680", "note": "the release says so"}])
    # the corpus changes: another document is rewritten, a new one arrives; the curated one stays
    changed = corpus_copy(tmp_path)
    rewritten = changed / PARKING[1]
    rewritten.write_text(rewritten.read_text(encoding="utf-8") + "\n문의는 교통정책과로 하면 된다.\n", encoding="utf-8")
    shutil.copy(ROOT / "tests" / "fixtures" / "documents" / "release-pension-2025.txt", changed)
    report = build([changed], tmp_path / "out", store=False, curation=[decisions.parent])
    assert not report.failed and not report.curation.stale and len(report.curation.applied) == 1
    rows = [r for r in cases(tmp_path / "out") if r["doc"] == LIBRARY]
    assert [r["agency"] for r in rows] == ["서울특별시 강남구"]
    assert any(r["doc"] == "release-pension-2025.txt" for r in cases(tmp_path / "out"))  # the new document is in
    g = Graph().parse(tmp_path / "out" / "cases.ttl")
    case = URIRef(row["case"])
    assert list(g.objects(case, AKG.leadAgency)) == [URIRef(GANGNAM)]
    decision = g.value(None, AKG.correctedValue, URIRef(GANGNAM))
    assert g.value(decision, AKG.assertedValue) == URIRef(row["value"])           # what was extracted …
    assert g.value(decision, WIKIBASE.rank) == WIKIBASE.DeprecatedRank            # … is deprecated
    curator = g.value(decision, PROV.wasAttributedTo)
    assert str(g.value(curator, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))) == "Kim Curator"
    assert str(g.value(decision, DCTERMS.date)) == "2026-12-01"
    # its departments moved with it: units of the corrected agency, their evidence with them
    units = list(g.objects(case, AKG.department))
    assert units and all(g.value(u, ORG.unitOf) == URIRef(GANGNAM) for u in units)
    assert not list(g.subjects(ORG.unitOf, URIRef(row["value"])))   # no unit is left under the old agency
    for u in units:
        assert any((e, OA.hasBody, case) in g for e in g.subjects(AKG.assertedValue, u))
    notes = {n.language: str(n) for n in g.objects(case, SKOS.editorialNote)}  # the IRI stays, and says why
    assert row["value"].rsplit("/", 1)[-1] in notes["en"] and "11680" in notes["en"] and str(decision) in notes["ko"]
    shacl = validate([tmp_path / "out" / "cases.ttl"])      # decisions conform to the shapes, like the rest
    assert shacl.conforms, [(str(r.focus), r.message("en")) for r in shacl.results[:5]]
    # the corrected fact is no longer in the queue
    assert not [i for i in review_queue(tmp_path / "out", max_confidence=1)
                if i.case == row["case"] and i.kind == "agency"]


def test_rejected_phantom_stays_out_of_every_rebuild(first, tmp_path):
    corpus, out = first
    row = queue_row(out, corpus, kind="case", file=LIBRARY)
    (tmp_path / "curation").mkdir()
    write_decisions(tmp_path / "curation" / "phantoms.csv", [{**row, "action": "reject", "note": "no such practice"}])
    for attempt in range(2):  # re-extraction brings the case back each time; the decision removes it each time
        report = build([corpus], tmp_path / f"out{attempt}", store=False, curation=[tmp_path / "curation"])
        assert report.curation.as_dict()["applied"] == {"reject": 1}
        assert row["case"] not in {r["case"] for r in cases(tmp_path / f"out{attempt}")}
        g = Graph().parse(tmp_path / f"out{attempt}" / "cases.ttl")
        case = URIRef(row["case"])
        assert (case, RDF.type, AKG.InnovationCase) not in g and not list(g.predicate_objects(case))
        decision = g.value(None, URIRef("http://www.w3.org/ns/oa#hasBody"), case)  # on record, deprecated
        assert g.value(decision, WIKIBASE.rank) == WIKIBASE.DeprecatedRank
        assert str(g.value(decision, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#value"))) == row["title"]
    assert {r["doc"] for r in cases(tmp_path / "out1")} == set(PARKING)  # the other documents' cases stay


def test_two_duplicates_merge_into_one_case_with_both_sources(first, tmp_path):
    corpus, out = first
    told = {r["doc"]: r["case"] for r in cases(out) if r["doc"] in PARKING}
    assert len(set(told.values())) == 2, "the two parking documents should give two cases to merge"
    keep, duplicate = told[PARKING[0]], told[PARKING[1]]
    (tmp_path / "curation").mkdir()
    write_decisions(tmp_path / "curation" / "merges.csv",
                    [{"action": "merge", "kind": "case", "case": duplicate, "correction": keep}])
    report = build([corpus], tmp_path / "out", store=False, curation=[tmp_path / "curation"])
    assert report.curation.as_dict()["applied"] == {"merge": 1}
    rows = [r for r in cases(tmp_path / "out") if r["doc"] in PARKING]
    assert {r["case"] for r in rows} == {keep} and {r["doc"] for r in rows} == set(PARKING)
    g = Graph().parse(tmp_path / "out" / "cases.ttl")
    assert (URIRef(duplicate), URIRef("http://www.w3.org/2002/07/owl#sameAs"), URIRef(keep)) in g
    assert len(list(g.objects(URIRef(keep), DCTERMS.title))) == 1
    assert len(list(g.objects(URIRef(keep), AKG.leadAgency))) == 1


def test_stale_and_bad_decisions_are_reported_by_file_and_line(first, tmp_path):
    corpus, out = first
    row = queue_row(out, corpus, kind="case", file=PARKING[0])
    (tmp_path / "curation").mkdir()
    path = write_decisions(tmp_path / "curation" / "mixed.csv", [
        {**row, "action": "accept"},                                             # line 2: applies
        {**row, "action": "reject", "case": "", "quote": "이 문장은 어느 문서에도 없다"},  # line 3: stale (quote gone)
        {**row, "action": "reject", "case": "", "doc_sha256": "0" * 64},          # line 4: stale (document gone)
        {**row, "action": "throw away"},                                          # line 5: not an action
        {**row, "action": "correct", "date": "yesterday"},                        # line 6: bad date
    ])
    done = run_cli("build", "--corpus", str(corpus), "--out", str(tmp_path / "out"), "--no-store",
                   "--curation", str(path.parent))
    assert done.returncode == 2, done.stderr                                      # bad rows: bad input
    assert f"{path}:5: unknown action 'throw away'" in done.stderr
    assert f"{path}:6: date 'yesterday' is not YYYY-MM-DD" in done.stderr
    assert f"stale override: {path}:3" in done.stderr and f"stale override: {path}:4" in done.stderr
    assert "not in this build" in done.stderr and "Traceback" not in done.stderr
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert report["curation"]["applied"] == {"accept": 1}
    assert [s["line"] for s in report["curation"]["stale"]] == [3, 4]
    assert (tmp_path / "out" / "cases.ttl").exists()
    # an accepted fact keeps its place in the graph, confirmed, and leaves the queue
    g = Graph().parse(tmp_path / "out" / "cases.ttl")
    decision = g.value(None, AKG.curationAction, URIRef("https://w3id.org/adminkg/vocab/curation-action/accept"))
    assert g.value(decision, WIKIBASE.rank) == WIKIBASE.PreferredRank
    assert (URIRef(row["case"]), RDF.type, AKG.InnovationCase) in g
    queue = review_queue(tmp_path / "out", max_confidence=1)
    assert not [i for i in queue if i.case == row["case"] and i.kind == "case"]


def test_a_missed_case_is_added(first, tmp_path):
    corpus, out = first
    row = queue_row(out, corpus, file=LIBRARY, kind="case")
    (tmp_path / "curation").mkdir()
    write_decisions(tmp_path / "curation" / "added.csv", [{
        "action": "add", "kind": "case", "doc_sha256": row["doc_sha256"], "title": "농촌 마을 전자책 대여",
        "correction": "46150"}])
    report = build([corpus], tmp_path / "out", store=False, curation=[tmp_path / "curation"])
    assert report.curation.as_dict()["applied"] == {"add": 1}
    added = [r for r in cases(tmp_path / "out") if r["title"] == "농촌 마을 전자책 대여"]
    assert [(r["doc"], r["agency"]) for r in added] == [(LIBRARY, "전라남도 순천시")]


def test_review_queue_cli_csv_round_trip(first, tmp_path):
    """The CSV the review writes is the file the curator edits and the build applies."""
    corpus, out = first
    queue = tmp_path / "queue.csv"
    done = run_cli("review", "--data", str(out), "--corpus", str(corpus), "--max-confidence", "1", "--out", str(queue))
    assert done.returncode == 0, done.stderr
    with open(queue, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and list(rows[0]) == list(CSV_COLUMNS)
    confidences = [float(r["confidence"]) for r in rows if r["confidence"]]
    assert confidences == sorted(confidences)                                   # most uncertain first
    assert all(r["quote"] in r["context"] for r in rows if r["quote"] and r["context"])
    assert not read_overrides([queue])[0]                                        # nothing decided yet
    tech = next(r for r in rows if r["kind"] == "technology")
    tech.update(action="reject", curator="Lee", date="2026-12-02")
    with open(queue, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=CSV_COLUMNS)
        w.writeheader()
        w.writerows(rows)
    report = build([corpus], tmp_path / "out", store=False, curation=[queue])
    assert report.curation.as_dict()["applied"] == {"reject": 1} and not report.curation.stale
    g = Graph().parse(tmp_path / "out" / "cases.ttl")
    assert (URIRef(tech["case"]), AKG.usesTechnology, URIRef(tech["value"])) not in g
    table = run_cli("review", "--data", str(out), "--corpus", str(corpus), "--max-confidence", "1", "--limit", "3")
    assert table.returncode == 0 and "items to review, 3 shown" in table.stdout and "【" in table.stdout


def test_doccano_export_and_import(first, tmp_path):
    corpus, out = first
    items = review_queue(out, max_confidence=1, corpus=[corpus])
    path = tmp_path / "queue.jsonl"
    write_doccano(items, path)
    tasks = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(tasks) == len(items)
    for t in tasks:  # the labelled span is the quoted text
        for s, e, label in t["label"]:
            assert t["text"][s:e] == t["quote"] and label == t["kind"]
    agency = next(t for t in tasks if t["kind"] == "agency" and t["file"] == LIBRARY)
    tech = next(t for t in tasks if t["kind"] == "technology")
    kept = next(t for t in tasks if t["kind"] == "case")
    tech["label"] = []                                        # the annotator removed the span: reject
    s = agency["text"].index("전라남도 순천시") if "전라남도 순천시" in agency["text"] else None
    if s is not None:                                         # the annotator moved the span: correct
        agency["label"] = [[s, s + len("전라남도 순천시"), "agency"]]
    path.write_text("\n".join(json.dumps(t, ensure_ascii=False) for t in tasks) + "\n{broken\n", encoding="utf-8")
    rows, errors = read_doccano(path, curator="Park", day="2026-12-03")
    assert [e.path for e in errors] == [f"{path}:{len(tasks) + 1}"]
    by_key = {(r["kind"], r["case"], r["value"], r["start"]): r for r in rows}
    assert by_key[("technology", tech["case"], tech["value"], tech["start"])]["action"] == "reject"
    assert by_key[("case", kept["case"], kept["value"], kept["start"])]["action"] == "accept"
    if s is not None:
        moved = by_key[("agency", agency["case"], agency["value"], agency["start"])]
        assert (moved["action"], moved["correction"]) == ("correct", "전라남도 순천시")
    curation = tmp_path / "curation.csv"
    done = run_cli("review", "--import", str(path), "--curator", "Park", "--date", "2026-12-03", "--out", str(curation))
    assert done.returncode == 2 and f"{path}:{len(tasks) + 1}" in done.stderr   # the broken line is named
    overrides, problems = read_overrides([curation])
    assert not problems and len(overrides) == len(rows)
    report = build([corpus], tmp_path / "out", store=False, curation=[curation])
    assert not report.curation.stale and not report.failed


def test_review_csv_written_atomically_and_help(tmp_path):
    write_csv([], tmp_path / "empty.csv")
    assert (tmp_path / "empty.csv").read_text(encoding="utf-8-sig").startswith("action,kind,")
    done = run_cli("review", "--help")
    assert done.returncode == 0 and "--max-confidence" in done.stdout and "--import" in done.stdout
    bad = run_cli("review", "--data", str(tmp_path / "absent"))
    assert bad.returncode == 2 and "absent" in bad.stderr and "Traceback" not in bad.stderr


def test_a_missing_curation_folder_is_named_before_anything_is_built(tmp_path):
    done = run_cli("build", "--corpus", str(FIXTURES), "--out", str(tmp_path / "out"), "--no-store",
                   "--curation", str(tmp_path / "no-such-folder"))
    assert done.returncode == 2 and "no-such-folder" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()


def test_label_studio_export_and_import(first, tmp_path):
    """The queue as Label Studio tasks with the fact's span as a prediction, and a project's JSON
    export of our own writing (annotations as Label Studio records them) read back as decisions."""
    import xml.etree.ElementTree as ET

    from adminkg.curation import PROPERTY
    from adminkg.review import LS_LABELS, LS_TEXT, read_label_studio, write_label_studio

    corpus, out = first
    items = review_queue(out, max_confidence=1, corpus=[corpus])
    path = tmp_path / "queue.json"
    write_label_studio(items, path)
    tasks = json.loads(path.read_text(encoding="utf-8"))
    assert [t["data"]["case"] for t in tasks] == [i.case for i in items]        # most uncertain first
    for t, i in zip(tasks, items):
        (prediction,) = t["predictions"]
        for r in prediction["result"]:
            v = r["value"]
            assert (r["from_name"], r["to_name"], r["type"]) == (LS_LABELS, LS_TEXT, "labels")
            assert t["data"]["text"][v["start"]:v["end"]] == v["text"] == i.quote and v["labels"] == [i.kind]
        assert prediction["score"] == float(i.confidence)
    config = ET.parse(ROOT / "data" / "curation" / "label-studio.xml").getroot()   # the interface matches
    assert config.find("Labels").get("name") == LS_LABELS and config.find("Text").get("name") == LS_TEXT
    assert {lab.get("value") for lab in config.iter("Label")} == set(PROPERTY)

    def annotated(t: dict, result: list, cancelled: bool = False) -> dict:
        return {**t, "annotations": [{"id": 1, "was_cancelled": cancelled, "result": result}]}

    kept = next(t for t in tasks if t["data"]["kind"] == "case")
    tech = next(t for t in tasks if t["data"]["kind"] == "technology")
    agency = next(t for t in tasks if t["data"]["kind"] == "agency" and t["data"]["file"] == LIBRARY)
    text = agency["data"]["text"]
    s = text.index("순천")                                       # the annotator labels other words: correct
    moved = {"id": "x", "from_name": LS_LABELS, "to_name": LS_TEXT, "type": "labels",
             "value": {"start": s, "end": s + 2, "text": "순천", "labels": ["agency"]}}
    metric = next(t for t in tasks if t["data"]["kind"] == "metric")
    number = {**moved, "value": {"start": 0, "end": 2, "text": metric["data"]["text"][:2], "labels": ["metric"]}}
    skipped = next(t for t in tasks if t not in (kept, tech, agency, metric))
    export = [annotated(kept, kept["predictions"][0]["result"]), annotated(tech, []), annotated(agency, [moved]),
              annotated(skipped, [], cancelled=True), {"id": 999, "annotations": [{"result": []}]},
              annotated(metric, [number])]
    path.write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
    rows, errors = read_label_studio(path, curator="Choi", day="2026-12-04")
    assert [e.path for e in errors] == [f"{path}: task 999", f"{path}: task {metric['id']}"]
    assert errors[1].problem == "a metric can be accepted or rejected, not moved"
    assert [(r["kind"], r["action"], r.get("correction", "")) for r in rows] == [
        ("case", "accept", ""), ("technology", "reject", ""), ("agency", "correct", "순천")]
    curation = tmp_path / "curation.csv"
    done = run_cli("review", "--import", str(path), "--curator", "Choi", "--date", "2026-12-04", "--out", str(curation))
    assert done.returncode == 2 and "task 999" in done.stderr and "Traceback" not in done.stderr
    report = build([corpus], tmp_path / "out", store=False, curation=[curation])
    assert report.curation.as_dict()["applied"] == {"accept": 1, "correct": 1, "reject": 1}
    assert not report.curation.stale
    bad = run_cli("review", "--data", str(out), "--out", str(tmp_path / "queue.xlsx"))
    assert bad.returncode == 2 and "FILE.json" in bad.stderr


def test_label_studio_offsets_in_utf16_units_are_read_as_code_points():
    from adminkg.review import _code_points

    text = "🚒 소방서와 🚑 보건소가 함께"
    s = text.index("보건소")
    assert _code_points(text, {"start": s, "end": s + 3, "text": "보건소"}) == (s, s + 3)
    assert _code_points(text, {"start": s + 2, "end": s + 5, "text": "보건소"}) == (s, s + 3)  # two emoji before it
