"""Parallel and incremental builds: worker processes and cached fragments give the bytes of a cold,
one-process build; a changed document, lexicon or model is extracted again, and only that."""
from __future__ import annotations

import gzip
import re
import shutil
from pathlib import Path

import pytest

from adminkg import fragments
from adminkg.build import build
from adminkg.errors import InputError
from adminkg.synthetic import generate

from .conftest import ROOT, run_cli


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """Generated documents beside the examples (HTML, CP949, a manifest) and a file no reader knows."""
    root = tmp_path_factory.mktemp("corpus")
    docs = generate(root / "synthetic", docs=12, seed=5)
    shutil.copytree(ROOT / "examples" / "corpus", root / "docs" / "examples")
    shutil.copytree(docs, root / "docs" / "synthetic")
    (root / "docs" / "sheet.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    return root / "docs"


def _ttl(out: Path) -> bytes:
    return (out / "cases.ttl").read_bytes()


@pytest.fixture(scope="module")
def cold(corpus, tmp_path_factory) -> bytes:
    """The reference: one process, no cache."""
    out = tmp_path_factory.mktemp("cold") / "out"
    report = build([corpus], out, store=False, jobs=1, cache=False)
    assert report.cache is None and not (out / fragments.CACHE_DIR).exists()
    assert report.cases > 12 and report.skipped
    return _ttl(out)


def test_two_workers_then_the_cache_give_the_bytes_of_one_process(corpus, cold, tmp_path):
    first = build([corpus], tmp_path / "out", store=False, jobs=2)
    documents = first.documents
    assert first.cache == {"reused": 0, "extracted": documents, "emissions_reused": 0}
    assert _ttl(tmp_path / "out") == cold
    again = build([corpus], tmp_path / "out", store=False, jobs=2)
    assert again.cache == {"reused": documents, "extracted": 0, "emissions_reused": documents}
    assert _ttl(tmp_path / "out") == cold
    assert [f for f, *_ in again.skipped] == [f for f, *_ in first.skipped] != []
    assert again.as_dict()["facts"] == first.as_dict()["facts"]


def test_a_changed_document_alone_is_extracted_again(corpus, tmp_path):
    changed = tmp_path / "corpus"
    shutil.copytree(corpus, changed)
    build([changed], tmp_path / "out", store=False, jobs=1)
    doc = sorted((changed / "synthetic").rglob("syn-*.txt"))[3]
    doc.write_text(doc.read_text(encoding="utf-8").replace("밝혔다", "알렸다", 1) + "\n추가 문장입니다.\n",
                   encoding="utf-8")
    report = build([changed], tmp_path / "out", store=False, jobs=2)
    assert report.cache == {"reused": report.documents - 1, "extracted": 1, "emissions_reused": report.documents - 1}
    fresh = build([changed], tmp_path / "fresh", store=False, jobs=1, cache=False)
    assert _ttl(tmp_path / "out") == _ttl(tmp_path / "fresh")
    assert fresh.cases == report.cases
    cached = list((tmp_path / "out" / fragments.CACHE_DIR / "fragments").rglob("*.json"))
    assert len(cached) == report.documents  # the old document's fragment is gone


def test_a_changed_lexicon_or_model_invalidates_every_fragment(corpus, cold, tmp_path, monkeypatch):
    build([corpus], tmp_path / "out", store=False, jobs=1)
    # the same code and files but one lexicon word: a copy of loaders/ whose lexicon differs
    loaders = tmp_path / "loaders"
    shutil.copytree(fragments.LOADERS_DIR, loaders, ignore=shutil.ignore_patterns("__pycache__", "models"))
    lexicon = loaders / "lexicon" / "korean.toml"
    lexicon.write_text(lexicon.read_text(encoding="utf-8") + "\n# a curator's new word\n", encoding="utf-8")
    monkeypatch.setattr(fragments, "LOADERS_DIR", loaders)
    report = build([corpus], tmp_path / "out", store=False, jobs=1)
    assert report.cache == {"reused": 0, "extracted": report.documents, "emissions_reused": 0}
    assert _ttl(tmp_path / "out") == cold  # the comment changes no extraction
    again = build([corpus], tmp_path / "out", store=False, jobs=1)
    assert again.cache["extracted"] == 0
    rules = build([corpus], tmp_path / "out", store=False, jobs=1, model=False)  # another model: the rules
    assert rules.cache == {"reused": 0, "extracted": rules.documents, "emissions_reused": 0}
    assert _ttl(tmp_path / "out") != cold


def test_a_damaged_cache_entry_is_extracted_again(corpus, cold, tmp_path):
    build([corpus], tmp_path / "out", store=False, jobs=1)
    entries = sorted((tmp_path / "out" / fragments.CACHE_DIR / "fragments").rglob("*.json"))
    entries[0].write_bytes(b"{not json")
    entries[1].write_text('{"format": 0}', encoding="utf-8")
    shutil.rmtree(tmp_path / "out" / fragments.CACHE_DIR / "traces")  # no emission kept: every fragment is read
    report = build([corpus], tmp_path / "out", store=False, jobs=1)
    assert report.cache["extracted"] == 2
    assert _ttl(tmp_path / "out") == cold
    # a damaged emission: the document is emitted again from its fragment
    kept = sorted((tmp_path / "out" / fragments.CACHE_DIR / "traces").rglob("*.json.gz"))
    assert len(kept) == report.documents
    kept[0].write_bytes(b"not gzip")
    kept[1].write_bytes(gzip.compress(b'{"format": 0}'))
    kept[2].write_bytes(kept[2].read_bytes()[:100])
    report = build([corpus], tmp_path / "out", store=False, jobs=2)
    assert report.cache == {"reused": report.documents, "extracted": 0, "emissions_reused": report.documents - 3}
    assert _ttl(tmp_path / "out") == cold


def test_an_option_or_code_that_changes_the_triples_reuses_no_kept_emission(corpus, tmp_path, monkeypatch):
    """A document's emission is kept by its fragment's key and what emission depends on: a rebuild
    with --with-text, --min-confidence or another base, or with the emitter's code changed, reuses
    the fragments but emits every document again, and gives the bytes of its own cold build."""
    from adminkg import build as build_module

    out = tmp_path / "out"
    first = build([corpus], out, store=False, jobs=1)
    documents = first.documents
    for options in ({"with_text": True}, {"min_confidence": 0.5}, {"base": "https://example.org/kg/"}):
        report = build([corpus], out, store=False, jobs=1, **options)
        assert report.cache == {"reused": documents, "extracted": 0, "emissions_reused": 0}, options
        build([corpus], tmp_path / "cold", store=False, jobs=1, cache=False, **options)
        assert _ttl(out) == _ttl(tmp_path / "cold"), options
    again = build([corpus], out, store=False, jobs=2, base="https://example.org/kg/")
    assert again.cache == {"reused": documents, "extracted": 0, "emissions_reused": documents}
    assert _ttl(out) == _ttl(tmp_path / "cold")
    # the same options, the emitter's code changed: a copy of adminkg's modules, one line more
    code = tmp_path / "code"
    code.mkdir()
    for module in build_module.CODE_DIR.glob("*.py"):
        shutil.copy(module, code / module.name)
    (code / "emission.py").write_text((code / "emission.py").read_text(encoding="utf-8") + "\n# changed\n",
                                      encoding="utf-8")
    monkeypatch.setattr(build_module, "CODE_DIR", code)
    changed = build([corpus], out, store=False, jobs=1, base="https://example.org/kg/")
    assert changed.cache == {"reused": documents, "extracted": 0, "emissions_reused": 0}
    assert _ttl(out) == _ttl(tmp_path / "cold")
    kept = list((out / fragments.CACHE_DIR / "traces").rglob("*.json.gz"))
    assert len(kept) == documents  # the emissions of the earlier options are gone


def test_fragments_keep_records_as_they_were(corpus):
    from adminkg.loaders.korean import KoreanExtractor

    extractor = KoreanExtractor()
    seen = 0
    for path in sorted(corpus.rglob("*.txt")) + sorted(corpus.rglob("*.html")):
        result = fragments.extract_one(path, {"url": "https://example.org/x"}, extractor)
        assert result[0] == "ok"
        _, doc, records, error = result
        back_doc, back, back_error = fragments.from_fragment(fragments.to_fragment(doc, records), path,
                                                             {"url": "https://example.org/x"})
        assert back_doc == doc and back == records and back_error is error is None
        seen += len(records)
    assert seen > 12


def test_jobs_below_one_is_refused(corpus, tmp_path):
    with pytest.raises(InputError):
        build([corpus], tmp_path / "out", jobs=0)
    done = run_cli("build", "--corpus", str(corpus), "--out", str(tmp_path / "cli"), "--jobs", "0")
    assert done.returncode == 2 and "Traceback" not in done.stderr


def test_cli_says_what_it_reused(corpus, tmp_path):
    args = ("build", "--corpus", str(corpus), "--out", str(tmp_path / "cli"), "--no-store", "--jobs", "2")
    first = run_cli(*args)
    assert first.returncode == 2, first.stderr  # the .xlsx is skipped
    assert "documents extracted: 17, reused" in first.stdout
    second = run_cli(*args)
    assert "documents extracted: 0, reused" in second.stdout and ": 17" in second.stdout


def _scale_bench():
    import importlib.util

    spec = importlib.util.spec_from_file_location("scale_bench", ROOT / "benchmarks" / "scale_bench.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    return bench


def test_make_bench_runs_at_tiny_n(capsys, monkeypatch):
    """benchmarks/scale_bench.py (what `make bench` runs) end to end on two documents: the table,
    the recovered cases and the summary line; the parallel build gives the one-process bytes, the two
    SHACL engines the same report, every library query an answer, the served build no error."""
    bench = _scale_bench()
    calls = []
    monkeypatch.setattr(bench, "adminkg", lambda *a, run=bench.adminkg: calls.append(a) or run(*a))
    assert bench.main(["--docs", "2", "--no-scaling", "--query-timeout", "10", "--serve-queries", "100"]) == 0
    assert sum("pyshacl" in a for a in calls) == 1  # the naive row's run is the one the others are compared with
    out = capsys.readouterr().out
    assert "rebuild after 1 of 2 documents changed" in out and "documents extracted: 1, reused" in out
    assert "validate, pySHACL" in out and "identical report True" in out
    assert re.search(r"validate during the cold 2-worker build +[0-9.]+ +2 documents, ", out)
    assert "the build's own report, 2 documents" in out and "identical to pySHACL's True" in out
    assert "query similar-cases" in out and "queries >= 10x rdflib:" in out
    assert "serve: 50 clients, 100 library queries" in out and ", 0 errors, 0 cut by a limit" in out
    assert out.strip().splitlines()[-1].startswith("summary: naive / cold-2 ")
    assert "byte-identical True" in out


def test_make_bench_with_a_sample_and_growth_below_n_resumed_after_a_stop(capsys, tmp_path, monkeypatch):
    """The options of a 100k run on four documents: pySHACL and rdflib on a build of the first two
    (--sample 2), pySHACL's time extrapolated to N and said so, the reports of the build's own
    validation and of the Rust engine compared with it at the sample's size; the queries embedded at
    N with their ratios taken at the sample; the growth row at N/2 (--scaling 0.5); each row in --log
    as it is measured, the graph's triples in the build rows, and no build folder left in --work.
    The run stops (interrupted) at the extraction step; --resume carries on there, without building
    again what was done, and the table holds the rows of both parts."""
    bench = _scale_bench()
    log, work = tmp_path / "rows.log", tmp_path / "work"
    argv = ["--docs", "4", "--sample", "2", "--scaling", "0.5", "--query-timeout", "10", "--serve-queries", "0",
            "--log", str(log), "--work", str(work)]

    def stop(self):
        raise KeyboardInterrupt

    with monkeypatch.context() as patched:
        patched.setattr(bench.Bench, "extraction", stop)
        with pytest.raises(KeyboardInterrupt):
            bench.main(argv)
    first = capsys.readouterr().out
    assert "the benchmark stopped; the rows measured so far:" in first and "cold build, 1 process" in first
    assert "extraction alone" not in first
    with pytest.raises(SystemExit) as refused:  # another N: not the same run
        bench.main([*argv[:1], "5", *argv[2:], "--resume"])
    assert "--docs 4 there, 5 here" in str(refused.value.code)
    outs = []
    monkeypatch.setattr(bench, "adminkg", lambda *a, run=bench.adminkg: outs.append(a) or run(*a))

    def evidence_too_slow_at_n(build, timeout, embedded=bench.embedded):
        results, *rest = embedded(build, timeout)
        return ({**results, "evidence": ("timeout", timeout)}, *rest)

    monkeypatch.setattr(bench, "embedded", evidence_too_slow_at_n)
    assert bench.main([*argv, "--resume"]) == 0
    assert not [a for a in outs if a[0] == "build" and "--jobs" in a and a[a.index("--jobs") + 1] == "1"]
    assert [a[0] for a in outs] == ["synth", "build"]  # the growth row only: the rest was done
    captured = capsys.readouterr()
    out = captured.out
    lines = out.splitlines()
    builds = ("naive", "cold build, 1 process", "cold build, 2 workers")
    cold = [re.search(r"  4 documents, ([0-9,]+) triples", ln) for ln in lines if ln.startswith(builds)]
    sample = re.search(r"sample: cold build of the first 2 documents .*  2 documents, ([0-9,]+) triples", out)
    assert len(cold) == 3 and all(cold) and len({c[1] for c in cold}) == 1  # the same graph, counted
    assert sample and 0 < int(sample[1].replace(",", "")) < int(cold[0][1].replace(",", ""))
    naive = next(ln for ln in lines if ln.startswith("naive: 1 process, no cache, then pySHACL (extrapolated)"))
    assert "pySHACL on 2 documents: " in naive and "linear extrapolation to 4 documents: " in naive
    assert "validate, pySHACL, sample of 2 documents" in out
    assert re.search(r"validate during the cold 2-worker build .*faster than pySHACL extrapolated from 2 documents",
                     out)
    assert "the build's own report, sample of 2 documents" in out and "pySHACL's True" in out
    rust_m = next(ln for ln in lines if ln.startswith("validate, Rust engine, sample of 2 documents"))
    assert "faster than pySHACL on the same graph; identical report True" in rust_m
    assert "validate, Rust engine, 4 documents" not in out  # a whole graph at N does not fit at 100k
    similar = next(ln for ln in lines if ln.startswith("query similar-cases"))
    assert re.search(r"query similar-cases +[0-9.]+ +at 2 documents: embedded [0-9.]+ s, rdflib [0-9.]+ s, ", similar)
    assert "queries: open the build's on-disk store at N" in out  # the graph is not loaded into memory
    evidence = next(ln for ln in lines if ln.startswith("query evidence "))  # its ratio is taken at M all the same
    assert re.search(r"embedded at N: timeout; at 2 documents: embedded [0-9.]+ s, rdflib [0-9.]+ s, [0-9.,]+x",
                     evidence)
    assert "extraction alone, 1 process" in out
    assert re.search(r"cold build of N/2 = 2 documents, 2 workers \(\+ store, validated\) .*2 documents, [0-9,]+ "
                     r"triples; [0-9.]+x the time of N \(k = 0.5\)", out)
    summary = out.strip().splitlines()[-1]
    assert summary.startswith("summary: naive / cold-2 ") and "pySHACL extrapolated from 2 documents)" in summary
    assert "identical True" in summary and "queries >= 10x rdflib (both at 2 documents)" in summary
    assert "growth time(kN)/time(N) N/2 (k=0.5) " in summary and "byte-identical True" in summary
    rows = [ln for ln in lines if re.match(r"(sample|naive|cold|rebuild|validate|query|extraction)", ln)]
    logged = log.read_text(encoding="utf-8").splitlines()
    assert set(rows) <= set(logged)
    assert "resuming the run in" in captured.err and "resuming the run in" in log.read_text(encoding="utf-8")
    assert logged[-1] == summary
    # the corpus and the saved state; every build went with its rows
    assert sorted(p.name for p in work.iterdir()) == ["bench-state.json", "syn"]


def test_make_bench_refuses_options_that_cannot_run(capsys):
    bench = _scale_bench()
    for argv, problem in [(["--sample", "4"], "--sample 4: the sample must hold 1 to 3 documents"),
                          (["--scaling", "1"], "each multiplier of N must be a positive number other than 1"),
                          (["--scaling", "2,x"], "give multipliers of N separated by commas"),
                          (["--scaling", "0.1"], "--scaling 0.1: 0.1 x 4 documents rounds to 0"),
                          (["--keep"], "--keep keeps the build folders of --work")]:
        with pytest.raises(SystemExit) as stopped:
            bench.main(["--docs", "4", *argv])
        assert stopped.value.code == 2 and problem in capsys.readouterr().err


def test_merged_traces_give_the_graph_of_one_emitter(corpus):
    """Per-document traces merged in file order (what workers send) give the bytes of one emitter
    filling one graph with the same records in the same order — with the cases that cross documents
    forced: a later document telling an earlier case under a longer title (emitted again with the
    earlier case's IRI), a copy of a document (its description and cases first-wins), organisations
    and contests met again."""
    from dataclasses import replace

    from adminkg.build import HEADER, Assembly, Emitter, emit_document
    from adminkg.emission import turtle_of_ntriples
    from adminkg.graphio import serialize_turtle, turtle_header, turtle_prefixes
    from adminkg.loaders.korean import KoreanExtractor

    extractor = KoreanExtractor()
    docs = []
    for path in sorted(corpus.rglob("*.txt")) + sorted(corpus.rglob("*.html")):
        result = fragments.extract_one(path, {}, extractor)
        if result[0] == "ok" and result[2]:
            docs.append(result[2])
    first = next(records for records in docs if len(records[0].title) >= 8)
    later = replace(first[0].source, sha256="f" * 64, name="later.txt")
    docs += [[replace(first[0], source=later, title=first[0].title + " 고도화 사업")], first]

    one = Emitter(vocab=extractor.lex.vocab)
    for records in docs:
        for i, rec in enumerate(records):
            one.emit(rec, i)
    merged = Assembly(Emitter(vocab=extractor.lex.vocab), 0.0)
    worker = Emitter(vocab=extractor.lex.vocab)
    for records in docs:
        merged.add(emit_document(worker, records), lambda records=records: records)
    assert merged.again == 1  # the later document, whose case is the first one's
    turtle = turtle_of_ntriples(merged.merge.ntriples(), turtle_prefixes(), turtle_header(HEADER))
    assert turtle == serialize_turtle(one.g, header=HEADER)
    assert (merged.emitter.report.cases, merged.emitter.report.case_rows) == (one.report.cases, one.report.case_rows)
    assert merged.emitter.report.facts == one.report.facts and merged.emitter.docs == one.docs


@pytest.fixture(scope="module")
def scheduler():
    """A Dask cluster of two small worker processes on this machine; its scheduler's address."""
    from dask.distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        yield cluster.scheduler_address


def test_a_build_on_a_dask_cluster_gives_the_bytes_of_one_process(corpus, cold, scheduler, tmp_path):
    first = build([corpus], tmp_path / "out", executor="dask", scheduler=scheduler)
    assert _ttl(tmp_path / "out") == cold
    assert first.cache == {"reused": 0, "extracted": first.documents, "emissions_reused": 0} and first.skipped
    again = build([corpus], tmp_path / "out", store=False, executor="dask", scheduler=scheduler)
    assert again.cache == {"reused": first.documents, "extracted": 0, "emissions_reused": first.documents}
    assert _ttl(tmp_path / "out") == cold
    done = run_cli("build", "--corpus", str(corpus), "--out", str(tmp_path / "cli"), "--no-cache",
                   "--executor", "dask", "--scheduler", scheduler)
    assert done.returncode == 2, done.stderr  # the .xlsx is skipped
    assert _ttl(tmp_path / "cli") == cold
    assert "cases:" in done.stdout and "Traceback" not in done.stderr


def test_executor_mistakes_are_named_before_anything_is_written(corpus, tmp_path, monkeypatch):
    import sys

    with pytest.raises(InputError, match="--scheduler"):
        build([corpus], tmp_path / "out", scheduler="tcp://127.0.0.1:1")
    with pytest.raises(InputError, match="unknown executor"):
        build([corpus], tmp_path / "out", executor="spark")
    for name in ("dask", "dask.bag", "distributed", "dask.distributed"):
        monkeypatch.setitem(sys.modules, name, None)  # as if the extra were not installed
    with pytest.raises(InputError, match=r"adminkg\[dask\]"):
        build([corpus], tmp_path / "out", executor="dask")
    assert not (tmp_path / "out").exists()
    done = run_cli("build", "--corpus", str(corpus), "--out", str(tmp_path / "cli"), "--scheduler", "tcp://x:1")
    assert done.returncode == 2 and "--scheduler" in done.stderr and "Traceback" not in done.stderr


def test_entry_keys_sort_like_the_turtle_writer():
    """The keys workers send sort triples as graphio.serialize_turtle does — IRIs before literals,
    then text (control characters and line breaks too), language and datatype — and the lines are
    Oxigraph's N-Triples."""
    import pyoxigraph
    from hypothesis import given, settings
    from hypothesis import strategies as st
    from rdflib import Literal, URIRef
    from rdflib.namespace import XSD

    from adminkg.emission import entry
    from adminkg.graphio import _sort_key, to_oxigraph

    text = st.text(alphabet=st.sampled_from("a\x00\x01\x08\t\n\x0a\x0b\x0c\r\x1f\x7f \"\\가각ab1"), max_size=6)
    objects = st.one_of(text.map(lambda t: URIRef("http://x.org/" + "".join(c for c in t if c.isalnum()))),
                        text.map(Literal), st.tuples(text, st.sampled_from(["ko", "en", "KO", "ko-Kore"])).map(
                            lambda tl: Literal(tl[0], lang=tl[1])),
                        st.tuples(text, st.sampled_from([XSD.string, XSD.decimal, XSD.anyURI, XSD.date,
                                                         XSD.nonNegativeInteger, XSD.integer])).map(
                            lambda td: Literal(td[0], datatype=td[1])))
    subject = URIRef("http://x.org/s")

    @settings(max_examples=200, deadline=None)
    @given(st.lists(st.tuples(st.sampled_from([URIRef("http://x.org/p"), URIRef("http://x.org/p2")]), objects),
                    min_size=2, max_size=8, unique=True))
    def check(pairs):
        triples = [(subject, p, o) for p, o in pairs]
        assert sorted(triples, key=lambda t: entry(t)[0]) == sorted(triples, key=_sort_key)
        for t in triples:
            key, line = entry(t, {})
            assert "\n" not in key and line == str(pyoxigraph.Triple(*map(to_oxigraph, t))) + " ."

    check()
