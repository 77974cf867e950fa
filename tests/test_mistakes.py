"""A user's mistakes lose no data and get one clear message: a --corpus that does not exist or holds
no readable document, an --out that cannot be written, a damaged store, a full disk, two builds
into one folder; and parameters as a person types them (a technology or grade by code or label in
any case, an agency by official name, short form or IRI, an empty value matching anything)."""
from __future__ import annotations

import fcntl
import gzip
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from adminkg.errors import InputError
from tests.conftest import ROOT, run_cli, small_tmpfs

EXAMPLES = ROOT / "examples" / "corpus"
DATA = ROOT / "tests" / "fixtures" / "graph"


@pytest.fixture(scope="module")
def earlier(tmp_path_factory) -> Path:
    """A build folder with an earlier build (Turtle, store, report) in it."""
    out = tmp_path_factory.mktemp("kg") / "out"
    done = run_cli("build", "--corpus", str(EXAMPLES / "news"), "--out", str(out))
    assert done.returncode == 0, done.stderr
    return out


def _snapshot(out: Path) -> dict[str, bytes]:
    """Every file of a build folder and its bytes."""
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def _one_message(done: subprocess.CompletedProcess, *parts: str) -> None:
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("adminkg: error:")]
    assert errors and all(p in errors[-1] for p in parts), done.stderr


def test_a_corpus_that_does_not_exist_leaves_the_earlier_build(earlier, tmp_path):
    before = _snapshot(earlier)
    done = run_cli("build", "--corpus", str(tmp_path / "typo"), "--out", str(earlier))
    _one_message(done, "typo: no such file or folder", "left as it was")
    assert _snapshot(earlier) == before


def test_a_corpus_with_no_readable_document_leaves_the_earlier_build(earlier, tmp_path):
    corpus = tmp_path / "wrong"
    corpus.mkdir()
    (corpus / "budget.xlsx").write_bytes(b"PK\x03\x04")
    (corpus / "empty.txt").write_bytes(b"")
    before = _snapshot(earlier)
    done = run_cli("build", "--corpus", str(corpus), "--out", str(earlier))
    _one_message(done, "no readable document (1 failed, skipped: 1 .xlsx)", "left as it was")
    assert "empty.txt: empty file" in done.stderr and "budget.xlsx" in done.stderr
    assert _snapshot(earlier) == before
    fresh = tmp_path / "fresh"  # and a folder the refused build would have made is not left behind
    assert run_cli("build", "--corpus", str(corpus), "--out", str(fresh)).returncode == 2 and not fresh.exists()


def test_an_out_that_cannot_be_created_is_one_message(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    done = run_cli("build", "--corpus", str(EXAMPLES / "news"), "--out", str(blocker / "kg"))
    _one_message(done, str(blocker / "kg"), "cannot write", "choose another --out")


def test_a_second_build_into_the_same_folder_is_refused(earlier):
    before = _snapshot(earlier)
    fd = os.open(earlier, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as a build in progress holds it
        done = run_cli("build", "--corpus", str(EXAMPLES / "news"), "--out", str(earlier))
    finally:
        os.close(fd)
    _one_message(done, "another build is writing into this folder", "another --out")
    assert _snapshot(earlier) == before


def test_a_damaged_store_is_one_message(earlier, tmp_path):
    broken = tmp_path / "kg"
    shutil.copytree(earlier, broken)
    for f in (broken / "store").iterdir():
        if f.is_file():
            f.write_bytes(b"\x00garbage" * 10)
    done = run_cli("query", "cases", "--data", str(broken))
    _one_message(done, str(broken / "store"), "adminkg build")


@pytest.fixture
def small_disk(tmp_path):
    """A 400 kB tmpfs (:func:`tests.conftest.small_tmpfs`): a real full disk."""
    with small_tmpfs(tmp_path / "disk", "400k") as mnt:
        yield mnt


def test_a_full_disk_is_one_message_and_keeps_the_earlier_build(small_disk, earlier):
    out = small_disk / "kg"
    out.mkdir()
    shutil.copy(earlier / "cases.ttl", out / "cases.ttl")
    before = _snapshot(out)
    done = run_cli("build", "--corpus", str(EXAMPLES), "--table", str(ROOT / "examples" / "cases.csv"),
                   "--out", str(out))
    _one_message(done, "No space left on device", "the disk is full")
    after = _snapshot(out)
    # the cache may keep what was extracted and emitted before the disk filled: whole entries only
    cached = {k: after.pop(k) for k in list(after) if k.startswith(".cache/")}
    assert after == before
    for name, data in cached.items():
        if name.endswith(".json.gz"):
            data = gzip.decompress(data)
        assert name.endswith((".json", ".json.gz")) and json.loads(data)["format"], name


# -- parameters a person would type ------------------------------------------------------------------
@pytest.mark.parametrize("value", ["DRONE", "drone", "Drone", "드론", " 드론 "])
def test_a_technology_by_code_or_label_in_any_case(value):
    from adminkg import open_graph

    kg = open_graph(DATA)
    rows = kg.query("cases-by-technology", tech=value).rows
    assert rows and rows == kg.query("cases-by-technology", tech="DRONE").rows


def test_a_grade_by_code_or_label():
    from adminkg.params import resolve
    from adminkg.queries import get_query

    q = get_query("departments-that-win")
    assert {resolve(q, {"grade": g})["grade"] for g in ("대상", "Grand prize", "GRAND PRIZE")} == {"대상"}


@pytest.mark.parametrize("value", ["인천광역시", "인천", "인천시", "https://w3id.org/adminkg/agency/28"])
def test_an_agency_by_official_name_short_form_or_iri(value):
    from adminkg.params import resolve
    from adminkg.queries import get_query

    assert resolve(get_query("agency-partners"), {"agency": value}) == {"agency": "인천광역시"}


def test_an_agency_narrows_the_rows_and_empty_matches_anything():
    from adminkg import open_graph

    kg = open_graph(DATA)
    every = kg.query("agency-partners", agency="").rows
    some = every[0]["agency"]
    short = some.split()[-1] if " " in some else some
    narrowed = kg.query("agency-partners", agency=short).rows
    assert narrowed and {r["agency"] for r in narrowed} == {some} and len(narrowed) < len(every)
    assert len(kg.query("cases-by-technology", tech="").rows) > len(kg.query("cases-by-technology", tech="AI").rows)


@pytest.mark.parametrize("param, value, listed", [
    ("tech=teleport", "matches no technology; accepted: AI (인공지능", "DRONE (드론"),
    ("agency=없는시", "matches no body of the gazetteer", "short form (인천, 인천시"),
    ("agency=중구", "names 5 bodies: 서울특별시 중구 (https://w3id.org/adminkg/agency/11140)",
     "give the official name"),
])
def test_a_value_matching_nothing_lists_what_is_accepted(param, value, listed):
    query = "cases-by-technology" if param.startswith("tech") else "agency-partners"
    done = run_cli("query", query, "--data", str(DATA), "--param", param)
    _one_message(done, f"{query}: --param {param}: {value}", listed)


def test_queries_name_shows_parameters_with_accepted_values():
    done = run_cli("queries", "cases-by-technology")
    assert done.returncode == 0, done.stderr
    assert "--param tech=…   default: AI" in done.stdout and "DRONE (드론 / " in done.stdout
    assert "--param year=…   default: (empty: matches anything)" in done.stdout
    done = run_cli("queries", "agency-pairs")
    assert "official name (인천광역시), short form (인천, 인천시)" in done.stdout
    done = run_cli("queries", "no-such-query")
    _one_message(done, "no such query")


def test_an_accepts_header_must_name_a_parameter(tmp_path):
    from adminkg.queries import read_query

    bad = tmp_path / "bad.rq"
    bad.write_text("# title: t\n# param: a\n# accepts: b technology\nSELECT * WHERE { ?s ?p ?o }\n", encoding="utf-8")
    with pytest.raises(InputError, match="'# accepts:' names b, which is no parameter"):
        read_query(bad)


def test_outputs_follow_the_users_umask(tmp_path):
    corpus = tmp_path / "c"
    shutil.copytree(EXAMPLES / "news", corpus)
    old = os.umask(0o027)
    try:
        done = run_cli("build", "--corpus", str(corpus), "--out", str(tmp_path / "o"), "--no-store")
    finally:
        os.umask(old)
    assert done.returncode == 0, done.stderr
    for name in ("cases.ttl", "report.json"):
        assert (tmp_path / "o" / name).stat().st_mode & 0o777 == 0o640, name


def test_info_and_validate_take_a_build_folder(earlier):
    """`adminkg info DIR` and `adminkg validate DIR` read the build's own Turtle, nothing else."""
    from rdflib import Graph

    own = len(Graph().parse(earlier / "cases.ttl"))
    done = run_cli("info", str(earlier))
    assert done.returncode == 0, done.stderr
    assert f"triples: {own}\n" in done.stdout
    done = run_cli("validate", str(earlier))
    assert done.returncode == 0, done.stdout + done.stderr


def test_excel_csv_begins_with_a_byte_order_mark(earlier):
    done = run_cli("query", "cases", "--data", str(earlier), "--format", "csv", "--excel")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("\ufeffcase,")
    plain = run_cli("query", "cases", "--data", str(earlier), "--format", "csv")
    assert plain.stdout == done.stdout[1:]
    _one_message(run_cli("query", "cases", "--data", str(earlier), "--excel"), "--excel applies to --format csv")
