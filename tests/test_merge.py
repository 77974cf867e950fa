"""A build whose memory does not grow with the graph: the merge writes its entries to sorted run files
past a bound (adminkg.emission.Merge) and streams the Turtle from them. The bytes are those of a merge
held in memory, whatever the workers and the cache; the runs' folder goes after the build, done or
failed; confidences and first-wins groups come out right across runs."""
from __future__ import annotations

import errno
import io
import shutil
from decimal import Decimal
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from adminkg import build as build_module
from adminkg import emission
from adminkg.build import MERGE_DIR, build
from adminkg.emission import GraphSink, Merge, Trace, turtle_of_ntriples
from adminkg.errors import InputError
from adminkg.graphio import serialize_turtle, turtle_header, turtle_prefixes
from adminkg.namespaces import AKG
from adminkg.synthetic import generate

from .conftest import ROOT, small_tmpfs
from .documents import write_hwpx


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """Generated documents beside the examples (HTML, CP949, a manifest), and one in HWPX (whose text
    the build keeps beside the graph)."""
    root = tmp_path_factory.mktemp("corpus")
    docs = generate(root / "synthetic", docs=12, seed=7)
    shutil.copytree(ROOT / "examples" / "corpus", root / "docs" / "examples")
    shutil.copytree(docs, root / "docs" / "synthetic")
    first = sorted((root / "docs" / "synthetic").rglob("*.txt"))[0]
    write_hwpx(root / "docs" / "release.hwpx", [line for line in first.read_text(encoding="utf-8").splitlines()
                                                if line.strip()])
    return root / "docs"


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def in_memory(corpus, tmp_path_factory) -> Path:
    """The reference: one process, no cache, every entry held in memory (no run written)."""
    out = tmp_path_factory.mktemp("memory") / "out"
    build([corpus], out, jobs=1, cache=False)
    return out


@pytest.fixture
def runs(monkeypatch):
    """A merge that spills every 40 entries and whose output opens 3 runs at most (so runs are merged
    into fewer first); the run files written, as they were written."""
    monkeypatch.setattr(emission, "SPILL_ENTRIES", 40)
    monkeypatch.setattr(emission, "FAN_IN", 3)
    written: list[tuple[Path, int]] = []

    def spy(original):
        def write(path, rows):
            original(path, rows)
            written.append((path, path.stat().st_size))
            return path
        return write

    for name in ("_write_entries", "_write_pairs", "_write_rows"):
        monkeypatch.setattr(emission, name, spy(getattr(emission, name)))
    return written


def _store_triples(folder: Path) -> set:
    store = pyoxigraph.Store.read_only(str(folder))
    triples = {(q.subject, q.predicate, q.object) for q in store}
    del store
    return triples


def test_a_build_that_spills_gives_the_bytes_of_one_that_does_not(corpus, in_memory, runs, tmp_path):
    out = tmp_path / "out"
    build([corpus], out, jobs=2)  # two workers, the cache filled
    entries = [path for path, size in runs if path.name.startswith("entries") and size]
    assert len(entries) > 20 and {path.parent for path, _ in runs} == {out / MERGE_DIR}
    assert any(path.name.startswith("confidences") for path, _ in runs)
    assert (out / "cases.ttl").read_bytes() == (in_memory / "cases.ttl").read_bytes()
    assert _files(out / "text") == _files(in_memory / "text") != {}  # written as the documents came
    # the store was loaded as the merge went on, the settled confidences last: the same graph
    assert _store_triples(out / "store") == _store_triples(in_memory / "store")
    assert not (out / MERGE_DIR).exists() and not (out / ".cases.ttl.new").exists()

    runs.clear()
    again = build([corpus], out, jobs=1, store=False)  # one process, every document from the cache
    assert again.cache["extracted"] == 0 and len(runs) > 20
    assert (out / "cases.ttl").read_bytes() == (in_memory / "cases.ttl").read_bytes()
    assert not (out / MERGE_DIR).exists()


def test_a_failed_build_leaves_no_runs_and_the_earlier_build(corpus, in_memory, runs, tmp_path, monkeypatch):
    out = tmp_path / "out"
    shutil.copytree(in_memory, out)
    (out / MERGE_DIR).mkdir()
    (out / MERGE_DIR / "entries-000000").write_text("a killed build's run\n", encoding="utf-8")
    before = {name: data for name, data in _files(out).items() if not name.startswith(MERGE_DIR)}

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(build_module.KeptTexts, "finish", full)  # after the Turtle was staged
    with pytest.raises(InputError, match="the disk is full"):
        build([corpus], out, jobs=1, cache=False)
    assert len(runs) > 20  # it had spilled
    assert not (out / MERGE_DIR).exists() and not (out / ".cases.ttl.new").exists()
    assert not (out / ".text.new").exists() and "text/index.tsv" in before
    assert _files(out) == before

    monkeypatch.undo()  # the next build removes a killed build's runs, and writes none of its own
    (out / MERGE_DIR).mkdir()
    (out / MERGE_DIR / "entries-000000").write_text("a killed build's run\n", encoding="utf-8")
    build([corpus], out, jobs=1, cache=False)
    assert not (out / MERGE_DIR).exists()
    assert (out / "cases.ttl").read_bytes() == (in_memory / "cases.ttl").read_bytes()


@pytest.fixture
def small_disk(tmp_path):
    """A 1.5 MB tmpfs (:func:`tests.conftest.small_tmpfs`): a real full disk."""
    with small_tmpfs(tmp_path / "disk", "1500k") as mnt:
        yield mnt


def test_runs_that_fill_the_disk_are_one_error_and_go(corpus, in_memory, runs, small_disk):
    out = small_disk / "out"
    out.mkdir()
    shutil.copy(in_memory / "cases.ttl", out / "cases.ttl")
    with pytest.raises(InputError, match="the disk is full") as raised:
        build([corpus], out, jobs=1, cache=False, store=False)
    assert MERGE_DIR in str(raised.value.path)  # the runs filled it
    assert sorted(p.name for p in out.iterdir()) == ["cases.ttl"]
    assert (out / "cases.ttl").read_bytes() == (in_memory / "cases.ttl").read_bytes()


# -- the merge on its own: hand-made documents ------------------------------------------------------
EX = "http://example.org/"
ORG, CONTEST, PERSON = URIRef(EX + "org/a"), URIRef(EX + "contest/c"), URIRef(EX + "org/organiser")
EVIDENCE = [URIRef(f"{EX}evidence/{i}") for i in range(3)]


def _document(sink, n: int, label: str, confidences: list[str]) -> None:
    """What one document emits: its own triples, an organisation's labels (first wins), a contest
    whose organiser is a group inside the contest's group, and the confidences of three evidences."""
    for i in range(6):
        sink.add((URIRef(f"{EX}doc/{n}"), RDFS.comment, Literal(f"문장 {n}-{i}", lang="ko")))
    sink.add((ORG, RDF.type, AKG.PublicInstitution))  # written by every document: one triple
    with sink.first(f"org\x1f{ORG}", (ORG, RDFS.label, None)) as new:
        if new:
            sink.add((ORG, RDFS.label, Literal(label, lang="ko")))
    with sink.first(f"contest\x1f{CONTEST}", (CONTEST, RDFS.label, None)) as new:
        if new:
            sink.add((CONTEST, RDFS.label, Literal(f"대회 {label}", lang="ko")))
            with sink.first(f"org\x1f{PERSON}", (PERSON, RDFS.label, None)) as new_organiser:
                if new_organiser:
                    sink.add((PERSON, RDFS.label, Literal(f"주최 {label}", lang="ko")))
    for ev, value in zip(EVIDENCE, confidences):
        if value:
            sink.confidence(ev, Decimal(value))


# document, its label, the confidences of the three evidences ("": none)
DOCUMENTS = [(0, "첫째", ["0.900", "0.100", ""]),  # the highest of evidence 0: in the first run
             *((n, f"다음 {n}", ["0.500", "", "0.250"]) for n in range(1, 8)),
             (8, "마지막", ["0.300", "0.700", "0.250"])]  # the highest of evidence 1: the last document


def _turtle_of_one_graph() -> bytes:
    graph = Graph()
    sink = GraphSink(graph)
    for n, label, confidences in DOCUMENTS:
        _document(sink, n, label, confidences)
    return serialize_turtle(graph, header="x")


def _merged(spill: int, reread: bool = False) -> Merge:
    merge = Merge(spill=spill, reread=reread)
    for n, label, confidences in DOCUMENTS:
        trace = Trace()
        _document(trace, n, label, confidences)
        merge.add(trace.finish())
    return merge


def test_confidences_and_first_wins_groups_across_runs(monkeypatch):
    monkeypatch.setattr(emission, "FAN_IN", 2)  # runs of runs, too
    expected = _turtle_of_one_graph()
    assert "첫째".encode() in expected and "마지막".encode() not in expected  # labels: the first document's
    assert b"evidence/0> akg:confidence 0.900 ." in expected and b"evidence/1> akg:confidence 0.700 ." in expected
    prefixes, header = turtle_prefixes(), turtle_header("x")
    with _merged(spill=10**6) as memory:
        assert not memory.runs and turtle_of_ntriples(memory.ntriples(), prefixes, header) == expected
    with _merged(spill=5) as merge:  # its temporary folder goes, the test passed or not
        assert merge.spills >= len(DOCUMENTS) - 1 and len(merge.runs) > 4 and len(merge.confidence_runs) > 2
        assert merge.seen == memory.seen and merge.cases == memory.cases
        folder = merge.runs[0].parent
        assert turtle_of_ntriples(merge.ntriples(), prefixes, header) == expected
        assert len(merge.runs) == len(merge.confidence_runs) == 2  # merged into fewer before the output opened them
        streamed = io.BytesIO()
        merge.write_turtle(streamed, prefixes, header)
        assert streamed.getvalue() == expected
        assert b"".join(merge.confidence_ntriples(batch=1)) == b"".join(memory.confidence_ntriples()) != b""
        assert {line for line in merge.ntriples().splitlines() if b"confidence" in line} == \
            set(b"".join(memory.confidence_ntriples()).splitlines())
    assert not folder.exists()


def test_a_merge_read_again_reads_the_file_its_first_complete_reading_wrote(monkeypatch):
    """With reread (a build that validates reads the merged graph for the cross-document shapes, then
    writes the Turtle), the runs are merged once: later readings give the same bytes from one file,
    in chunks of whole lines; a reading stopped half-way leaves no file to be read; a trace added
    after makes the next reading merge again."""
    monkeypatch.setattr(emission, "FAN_IN", 2)
    with _merged(spill=10**6) as memory:
        expected = memory.ntriples()
    with _merged(spill=5, reread=True) as merge:
        partial = merge.chunks(size=3)
        next(partial)
        partial.close()  # stopped after its first chunk
        assert merge._merged is None and [p.name for p in merge.runs[0].parent.iterdir()
                                          if p.name.startswith("merged")] == []
        assert merge.ntriples() == expected and merge._merged is not None
        merging = []
        monkeypatch.setattr(Merge, "blocks", lambda self: merging.append(1) or iter(()))
        chunks = list(merge.chunks())
        assert b"".join(chunks) == expected and not merging and all(c.endswith(b"\n") for c in chunks)
        monkeypatch.undo()
        trace = Trace()
        trace.add((URIRef(EX + "late"), RDFS.label, Literal("늦게")))
        merge.add(trace.finish())
        assert merge._merged is None and "늦게".encode() in merge.ntriples()


def test_the_run_files_keep_any_key(monkeypatch, tmp_path):
    """Keys and lines with carriage returns, control characters, quotes and text beyond the BMP come
    back from the runs as they went in, in the order of the Turtle writer."""
    monkeypatch.setattr(emission, "BLOCK_BYTES", 64)  # a record across reads
    from rdflib.namespace import XSD

    values = ["a\rb", "a\x00b", "a\x01", "a\nb", 'q"uote\\', "𝄞 악보", "가" * 200, "", "\u2028", "z"]
    subject, datatype = URIRef(EX + "s"), URIRef(EX + "datatype")
    triples = [triple for value in values for triple in ((subject, RDFS.label, Literal(value)),
                                                         (subject, RDFS.comment, Literal(value, datatype=datatype)),
                                                         (subject, RDFS.seeAlso, Literal(value, lang="ko")),
                                                         (URIRef(EX + value.encode().hex()), RDF.value, XSD.string))]
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    with Merge(spill=3, folder=tmp_path / "runs") as merge:
        for triple in triples:
            trace = Trace()
            trace.add(triple)
            merge.add(trace.finish())
        assert len(merge.runs) > 5
        turtle = turtle_of_ntriples(merge.ntriples(), turtle_prefixes(), b"")
    assert not (tmp_path / "runs").exists()
    assert turtle == serialize_turtle(graph)


def test_the_store_loader_holds_a_few_pieces_at_most(tmp_path, monkeypatch):
    """Pieces put faster than the store takes them wait in put(), not in memory."""
    import time

    from adminkg import store

    loader = store.StoreLoader(tmp_path / "store", background=True)
    load = loader._load

    def slow(item):
        time.sleep(0.02)
        load(item)

    monkeypatch.setattr(loader, "_load", slow)
    loader.start()
    waiting = []
    for i in range(4 * store.QUEUE_PIECES):
        loader.put(f'<{EX}s{i}> <{EX}p> "{i}" .\n'.encode())
        waiting.append(loader.queue.qsize())
    assert max(waiting) <= store.QUEUE_PIECES
    loader.finish()
    assert len(_store_triples(tmp_path / "store")) == 4 * store.QUEUE_PIECES
