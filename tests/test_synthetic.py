"""adminkg synth: deterministic synthetic documents in the corpus' layouts, with the gold they plant,
and the extraction recovers what was planted."""
from __future__ import annotations

import csv
import hashlib
import json

import pytest

from adminkg.errors import InputError
from adminkg.synthetic import TEMPLATES, fill, generate, particle

from .conftest import run_cli


def _digest(folder) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("word, which, expected", [
    ("드론", "을", "을"), ("키오스크", "을", "를"), ("산림녹지과", "는", "는"), ("서울특별시 강남구", "는", "는"),
    ("한국전력공사", "와", "와"), ("한국국토정보공단", "와", "과"), ("시스템", "로", "으로"), ("서비스", "로", "로"),
    ("플랫폼", "로", "으로"), ("사업", "이", "이"), ("스마트 물류", "로", "로"),  # ㄹ takes 로
])
def test_particles_follow_the_last_syllable(word, which, expected):
    assert particle(word, which) == expected


def test_fill_quoted_title_keeps_its_quotes():
    assert fill("'{title}'|를 운영", {"title": "드론 순찰 시스템"}) == "'드론 순찰 시스템'을 운영"


def test_same_seed_same_bytes_and_a_longer_run_begins_with_a_shorter(tmp_path):
    generate(tmp_path / "a", docs=12, seed=7)
    generate(tmp_path / "b", docs=12, seed=7)
    generate(tmp_path / "c", docs=24, seed=7)
    generate(tmp_path / "d", docs=12, seed=8)
    a, b, c, d = (_digest(tmp_path / x / "docs") for x in "abcd")
    assert a == b
    assert {k: v for k, v in c.items() if k in a and not k.endswith("sources.tsv")} == \
        {k: v for k, v in a.items() if not k.endswith("sources.tsv")}
    assert a != d
    gold_a = json.loads((tmp_path / "a" / "gold.json").read_text(encoding="utf-8"))
    gold_c = json.loads((tmp_path / "c" / "gold.json").read_text(encoding="utf-8"))
    assert gold_c[:12] == gold_a


def test_gold_is_in_the_shape_of_the_dev_gold_and_names_real_bodies(tmp_path, gazetteer, shared):
    from rdflib.namespace import SKOS

    with (shared / "spec" / "technologies.csv").open(encoding="utf-8") as fh:
        specified = {row["code"] for row in csv.DictReader(fh)}

    generate(tmp_path / "s", docs=30, seed=1)
    gold = json.loads((tmp_path / "s" / "gold.json").read_text(encoding="utf-8"))
    assert len(gold) == 30
    labels = {str(o) for o in gazetteer.objects(None, SKOS.prefLabel)}
    layouts = set()
    for entry in gold:
        text = (tmp_path / "s" / "docs" / "0000" / entry["doc"]).read_text(encoding="utf-8")
        assert entry["cases"]
        for case in entry["cases"]:
            assert set(case) == {"title", "agency", "departments", "technologies", "partners", "beneficiaries",
                                 "awards", "metrics"}
            assert case["title"] in text and case["agency"] in labels | {
                str(o) for o in gazetteer.objects(None, SKOS.altLabel)}
            for award in case["awards"]:
                assert set(award) == {"contest", "organizer", "year", "rank", "grade"}
                assert award["grade"] in text
            for partner in case["partners"]:
                assert partner in text
            # like the dev gold: codes of the specification only (a chatbot's case has none)
            assert set(case["technologies"]) <= specified
        layouts.add("award" if any(c["awards"] for c in entry["cases"]) else
                    "list" if "▲" in text else "release" if len(entry["cases"]) == 1 else "cards")
    assert layouts == {"award", "list", "release", "cards"}


def test_planted_cases_are_recovered(tmp_path):
    """A build of 16 generated documents finds the planted cases (lead agency and title)."""
    from adminkg import open_graph, scoring
    from adminkg.build import build

    docs = generate(tmp_path / "s", docs=16, seed=3)
    build([docs], tmp_path / "out", store=False)
    rows = [{k: "" if v is None else str(v) for k, v in r.items()}
            for r in open_graph(tmp_path / "out").query("cases").rows]
    scores = scoring.score(scoring.load_gold([tmp_path / "s" / "gold.json"]), scoring.rows_by_doc(rows))
    assert scores["cases"].f1 >= 0.9, scoring.table(scores)
    assert scores["titles"].f1 >= 0.9, scoring.table(scores)


def test_a_template_naming_no_label_of_its_concept_is_named(tmp_path):
    bad = tmp_path / "synthetic.toml"
    bad.write_text(TEMPLATES.read_text(encoding="utf-8").replace('surface = "드론"', 'surface = "비행기"'),
                   encoding="utf-8")
    with pytest.raises(InputError) as err:
        generate(tmp_path / "s", docs=2, templates=bad)
    assert "synthetic.toml" in str(err.value) and "DRONE" in str(err.value) and "비행기" in str(err.value)
    assert not (tmp_path / "s").exists()


def test_cli_writes_documents_and_gold(tmp_path):
    done = run_cli("synth", "--docs", "3", "--seed", "2", "--out", str(tmp_path / "syn"))
    assert done.returncode == 0, done.stderr
    assert len(list((tmp_path / "syn" / "docs").rglob("syn-*.txt"))) == 3
    assert len(json.loads((tmp_path / "syn" / "gold.json").read_text(encoding="utf-8"))) == 3
    done = run_cli("synth", "--docs", "0", "--out", str(tmp_path / "none"))
    assert done.returncode == 2 and "Traceback" not in done.stderr
