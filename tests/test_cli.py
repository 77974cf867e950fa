"""The console script as a user runs it: help for every command, exit codes, clear errors."""
from __future__ import annotations

import pytest

from .conftest import run_cli

COMMANDS = ["validate", "info", "gazetteer", "build", "query", "queries", "serve", "publish", "review", "release",
            "analyze", "export", "train", "evaluate",
            "diff", "synth"]

CASE_WITHOUT_AGENCY = """@prefix akg: <https://w3id.org/adminkg/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
<http://example.org/case/1> a akg:InnovationCase ; dcterms:title "시험 사례" .
"""


def test_help_lists_every_command():
    done = run_cli("--help")
    assert done.returncode == 0
    for name in COMMANDS:
        assert name in done.stdout


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help(name):
    done = run_cli(name, "--help")
    assert done.returncode == 0, done.stderr
    assert "Usage:" in done.stdout


def test_version():
    done = run_cli("--version")
    assert done.returncode == 0 and "adminkg" in done.stdout


def test_validate_default_graph_conforms():
    done = run_cli("validate")
    assert done.returncode == 0, done.stdout[-2000:]
    assert "conforms: 0 violation(s)" in done.stdout


def test_validate_reports_violation_with_focus_and_message(tmp_path):
    bad = tmp_path / "case.ttl"
    bad.write_text(CASE_WITHOUT_AGENCY, encoding="utf-8")
    done = run_cli("validate", str(bad))
    assert done.returncode == 1
    assert "<http://example.org/case/1>" in done.stdout
    assert "exactly one lead agency" in done.stdout
    assert "does NOT conform" in done.stdout
    ko = run_cli("validate", "--lang", "ko", str(bad))
    assert "주관 기관" in ko.stdout


def test_validate_unreadable_file_names_it_and_still_validates_the_rest(tmp_path):
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b \"unterminated .\n", encoding="utf-8")
    bad = tmp_path / "case.ttl"
    bad.write_text(CASE_WITHOUT_AGENCY, encoding="utf-8")
    done = run_cli("validate", str(broken), str(bad))
    assert done.returncode == 2
    assert "broken.ttl" in done.stdout and "not valid turtle" in done.stdout
    assert "exactly one lead agency" in done.stdout  # the readable file was still validated


def test_validate_missing_file(tmp_path):
    done = run_cli("validate", str(tmp_path / "nope.ttl"))
    assert done.returncode == 2
    assert "nope.ttl: no such file" in done.stdout


def test_info_summarises_the_graph():
    done = run_cli("info")
    assert done.returncode == 0, done.stderr
    for heading in ("triples:", "Resources per class", "Vocabularies", "Bodies per agency type", "Sources"):
        assert heading in done.stdout
    assert "akg:BasicLocalGovernment" in done.stdout


def test_gazetteer_command_writes_turtle(tmp_path):
    out = tmp_path / "g.ttl"
    done = run_cli("gazetteer", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert out.read_text(encoding="utf-8").startswith("# adminkg gazetteer")
    assert "bodies" in done.stdout


def test_gazetteer_bad_folder_is_a_clear_error(tmp_path):
    (tmp_path / "src").mkdir()
    done = run_cli("gazetteer", "--src", str(tmp_path / "src"), "--out", str(tmp_path / "g.ttl"))
    assert done.returncode == 2
    assert "local.csv: no such file" in done.stderr
