"""Benchmark (not a test): `make bench` — the build at scale on generated documents, one table and a
summary line of ratios, every number measured in this run on the same input.

    .venv/bin/python benchmarks/scale_bench.py [--docs N] [--seed S] [--jobs J] [--work DIR [--keep] [--resume]]
        [--sample M] [--scaling K,K…] [--extraction-docs K] [--no-dask] [--log FILE]

Rows (each step a fresh process: wall time and its peak resident memory, with its workers):
  naive       one process, no cache, Turtle only, then pySHACL on the Turtle (the pipeline before issue 15)
  cold 1      one process, with the cache (cold), Turtle + embedded store, validated as it is built
              (`build --validate`: each document in its worker, the cross-document shapes once)
  dask J      on a local Dask cluster of J worker processes (when adminkg[dask] is installed; --no-dask)
  cold J      J worker processes, with the cache (cold), validated; then the speed-up over one process
  warm 1%     J workers after 1% of the documents changed (the rest come from the cache)
  validate    the cold J build's own validation (CPU of the per-document checks + the cross-document
              step, from its report.json) against pySHACL, and `adminkg validate` with the Rust engine
              (adminkg[fast-shacl]); the reports of all three compared line by line on the same graph
              (the line naming the engine aside)
  queries     every library query on the build (with the reference data): the embedded store
              (pyoxigraph) against rdflib's memory store, the rows compared (benchmarks/query_bench.py);
              with --sample, at N on the build's on-disk store (as `adminkg query` opens it: its open
              time and this process's memory; the graph is never loaded into memory at N)
  serve       `adminkg serve` of the build under load: 50 clients sending 2,000 library queries with
              parameters (benchmarks/serve_load.py): throughput, p50 and p99 latency, errors
  extraction  extraction alone, one process, against Kiwi's tokenizer on the same text (kiwipiepy,
              adminkg[bench]; its model ships in the kiwipiepy_model wheel), start-up not counted; on
              the first --extraction-docs documents (default all N: it is a rate)
  scale kN    cold builds of k×N documents (J workers, validated; --scaling, default 2N and 4N), to see
              how the cost grows: time(kN) / time(N) beside k
and the planted cases recovered (F1 of cases, titles and technologies against the generator's gold; with
--sample, in the sample's build).
The build rows say the documents and the triples of the graph (cases.ttl, counted).

At large N some baselines do not fit the machine (pySHACL, rdflib and a whole-graph SHACL engine hold
the whole graph in memory). --sample M measures them on a build of the first M generated documents
(the same generator and seed: `adminkg synth --docs M`), and says so in each row: pySHACL (the naive
row's validation and the "validate, pySHACL" row, one run) with its time extrapolated linearly to N,
marked "(extrapolated)" in the summary; the Rust engine and the sample's own build validation run on
the sample, where their reports are compared with pySHACL's; at N the build validates itself. The
library queries run embedded at N (on the build's on-disk store), and embedded and in rdflib at M
(both in memory), where the ratio is taken: no ratio mixes graph sizes.

A 100k run takes hours: each row is printed (flushed) to stderr as soon as it is measured, and
appended to --log FILE; the table and summary come at the end on stdout. With --work DIR, what each
finished step measured is saved in DIR/bench-state.json, and --resume (the same options) carries on
after the last finished step, keeping its rows (a step cut off is run again from its start, the
cold J build with the 1% change undone). Each build folder is removed as soon as the rows that need
it are done (with --keep, nothing is removed), so the disk holds about two builds at a time. A step
no later row needs (pySHACL, the Rust engine, extraction alone, Kiwi) that fails, as when it is
killed for memory, becomes a row saying so and the run goes on; a build that fails stops the run,
after printing the rows measured so far.
A row is a :class:`Row`; a new measurement is a step of :class:`Bench` that adds its rows with
:meth:`Bench.add`, listed in order by :meth:`Bench.steps`.
"""
from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

BIN = Path(sys.executable).parent


class Row(NamedTuple):
    """One line of the table: a step, its wall time and peak memory (None: not a timed step), a note."""

    step: str
    seconds: float | None = None
    peak_mb: float | None = None
    note: str = ""


HEADER = f"{'step':<56} {'seconds':>9} {'peak MB':>9}  note"


def row_line(r: Row) -> str:
    seconds = f"{r.seconds:>9.2f}" if r.seconds is not None else f"{'':>9}"
    peak = f"{r.peak_mb:>9.0f}" if r.peak_mb is not None else f"{'':>9}"
    return f"{r.step:<56} {seconds} {peak}  {r.note}".rstrip()


def print_table(rows: list[Row]) -> None:
    print(HEADER)
    for r in rows:
        print(row_line(r))


class Table:
    """The rows so far; each is printed (flushed) to stderr as it is added, and appended to *log*,
    so a run that dies loses nothing it measured."""

    def __init__(self, log: Path | None = None):
        self.rows: list[Row] = []
        self.log = log

    def say(self, line: str, *, stderr: bool = True) -> None:
        if stderr:
            print(line, file=sys.stderr, flush=True)
        if self.log is not None:
            with open(self.log, "a", encoding="utf-8") as fh:
                fh.write(line + "\n")

    def add(self, row: Row) -> None:
        if not self.rows:
            self.say(HEADER)
        self.rows.append(row)
        self.say(row_line(row))


class StepFailed(Exception):
    """A step's process ended with an exit status other than 0, 1 or 2 (killed for memory: -9)."""


class Measured(NamedTuple):
    """A finished step: wall time, peak MB of the process and of the workers it waited for, its output."""

    seconds: float
    peak_mb: float
    done: subprocess.CompletedProcess


def run(*args: str) -> Measured:
    """Run a step in a fresh process; :class:`StepFailed` when it failed (exit status past 2)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(args, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        done = subprocess.CompletedProcess(args, proc.returncode, out.read(), err.read())
    if done.returncode not in (0, 1, 2):
        why = "killed (out of memory?)" if done.returncode == -9 else f"exit status {done.returncode}"
        raise StepFailed(f"{' '.join(map(str, args))}: {why} after {seconds:.0f} s, "
                         f"peak {usage.ru_maxrss / 1024:,.0f} MB\n{done.stderr[-2000:]}")
    return Measured(seconds, usage.ru_maxrss / 1024, done)


def adminkg(*args: str) -> Measured:
    return run(str(BIN / "adminkg"), *args)


CHANGE = "\n담당 부서는 사업을 계속 점검할 예정이다.\n"  # the sentence the 1% change appends


def changed_files(corpus: Path, share: float, seed: int) -> list[Path]:
    """The documents the 1% change touches: *share* of them (at least one), chosen by *seed*."""
    files = sorted(corpus.rglob("syn-*.txt"))
    return random.Random(seed).sample(files, max(1, round(len(files) * share)))


def change(corpus: Path, share: float, seed: int, *, undo: bool = False) -> int:
    """Append a sentence to *share* of the documents (at least one); return how many changed. Done
    twice it changes nothing more; *undo* takes the sentence off again (a resumed run repeats the
    parallel build on the documents as generated)."""
    chosen = changed_files(corpus, share, seed)
    for f in chosen:
        text = f.read_text(encoding="utf-8")
        if undo and text.endswith(CHANGE):
            f.write_text(text[: -len(CHANGE)], encoding="utf-8")
        elif not undo and not text.endswith(CHANGE):
            f.write_text(text + CHANGE, encoding="utf-8")
    return len(chosen)


def times_n(k: float) -> str:
    """k×N as the rows say it: 2N, N/2, N/4, 1.5N."""
    if k >= 1 and float(k).is_integer():
        return f"{int(k)}N"
    if k < 1 and abs(1 / k - round(1 / k)) < 1e-9:
        return f"N/{round(1 / k)}"
    return f"{k:g}N"


def multipliers(text: str) -> list[float]:
    """--scaling: comma-separated positive numbers other than 1."""
    try:
        ks = [float(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: give multipliers of N separated by commas, "
                                         "such as 2,4 or 0.25,0.5") from None
    if not ks or any(not 0 < k < float("inf") or k == 1 for k in ks):
        raise argparse.ArgumentTypeError(f"{text!r}: each multiplier of N must be a positive number other than 1")
    return ks


def digest(path: Path) -> str:
    """The SHA-256 of a file, read in pieces (a build's Turtle reaches gigabytes)."""
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


class Builds:
    """The Turtle of each build: its digest (byte identity is checked on digests, so a build folder
    can go once its rows are done) and its triples, counted once per distinct graph."""

    def __init__(self):
        self.triples: dict[str, int] = {}

    def graph(self, build: Path) -> tuple[str, int]:
        import pyoxigraph as ox

        ttl = build / "cases.ttl"
        key = digest(ttl)
        if key not in self.triples:
            self.triples[key] = sum(1 for _ in ox.parse(path=str(ttl), format=ox.RdfFormat.TURTLE))
        return key, self.triples[key]


def size(docs: int, triples: int) -> str:
    return f"{docs:,} documents, {triples:,} triples"


class Cleaner:
    """Removes build folders as soon as their rows are done, unless *keep*."""

    def __init__(self, keep: bool):
        self.keep = keep

    def __call__(self, *folders: Path) -> None:
        if not self.keep:
            for folder in folders:
                shutil.rmtree(folder, ignore_errors=True)


# Extraction alone and Kiwi's tokenizer alone, each in a fresh process on the same files; each prints
# the seconds of its work (start-up not counted) and the characters it read.
EXTRACTION = """
import sys, time
from pathlib import Path
from adminkg.fragments import extract_one
from adminkg.loaders.korean import KoreanExtractor
files = sorted(Path(sys.argv[1]).rglob("syn-*.txt"))[: int(sys.argv[2])]
extractor = KoreanExtractor()
started = time.perf_counter()
chars = sum(len(extract_one(f, {}, extractor)[1].text) for f in files)
print(time.perf_counter() - started, chars)
"""
KIWI = """
import sys, time
from pathlib import Path
from adminkg.loaders.documents import read_document
from kiwipiepy import Kiwi
texts = [read_document(f).text for f in sorted(Path(sys.argv[1]).rglob("syn-*.txt"))[: int(sys.argv[2])]]
kiwi = Kiwi()
kiwi.tokenize("준비")
started = time.perf_counter()
for text in texts:
    kiwi.tokenize(text)
print(time.perf_counter() - started, sum(map(len, texts)))
"""


def timed(script: str, corpus: Path, docs: int) -> tuple[float, int, float]:
    """(seconds of the work, characters, peak MB) of *script* run on the first *docs* documents of
    *corpus* in a fresh process."""
    _, peak, done = run(sys.executable, "-c", script, str(corpus), str(docs))
    seconds, chars = done.stdout.split()
    return float(seconds), int(chars), peak


def installed(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


def recovered(work: Path, build: Path) -> dict[str, float]:
    from adminkg import open_graph, scoring

    rows = [{k: "" if v is None else str(v) for k, v in r.items()} for r in open_graph(build).query("cases").rows]
    scores = scoring.score(scoring.load_gold([work / "gold.json"]), scoring.rows_by_doc(rows))
    return {f: scores[f].f1 for f in ("cases", "titles", "technologies")}


def report_lines(text: str) -> list[str]:
    """A validation report's lines without the one that names the engine."""
    return [ln for ln in text.splitlines() if not ln.startswith("engine:")]


def bench_module():
    """benchmarks/query_bench.py, which times one query of one engine in a forked child."""
    sys.path.insert(0, str(Path(__file__).parent))
    import query_bench

    return query_bench


def library() -> list[tuple[str, str]]:
    from adminkg.queries import bind, library

    return [(q.name, bind(q, {})) for q in library()]


def both_engines(build: Path, timeout: float) -> tuple[dict, dict]:
    """Every library query on *build* (with the reference data) in the embedded store (pyoxigraph,
    in memory) and in rdflib's memory store, from the same N-Triples (written as the store holds
    the graph, its literals canonical): the results of each engine by query name, from query_bench
    (("ok", seconds, rows, digest of the rows), ("timeout", seconds) or ("error", why))."""
    import pyoxigraph as ox

    from adminkg.store import memory_store, with_reference

    query_bench = bench_module()
    nt = build.parent / f"{build.name}-graph.nt"
    store = memory_store(with_reference([build / "cases.ttl"]))
    store.dump(output=str(nt), format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    del store
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # its progress lines
            _, oxi = query_bench.run_pyoxigraph(nt, library(), 3, timeout)
            _, rdf = query_bench.run_rdflib(nt, library(), 1, timeout)
    finally:
        nt.unlink(missing_ok=True)
    return oxi, rdf


def resident_mb() -> float:
    """This process's resident memory now (Linux), MB."""
    with open("/proc/self/status") as fh:
        return next(int(ln.split()[1]) for ln in fh if ln.startswith("VmRSS:")) / 1024


def embedded(build: Path, timeout: float) -> tuple[dict, float, int, float]:
    """Every library query on *build* in the embedded store as `adminkg query --data BUILD` opens it:
    the build's on-disk store (Oxigraph on RocksDB, read-only, with the reference data the build put
    in it; the graph is not loaded into memory, so this works at any N), else, for a build without
    one, an in-memory store of its Turtle with the reference data. The results by query name as
    :func:`both_engines` gives them, the seconds to open (or load) the store, its triples and the MB
    this process holds with it open."""
    import pyoxigraph as ox

    from adminkg.store import memory_store, with_reference

    query_bench = bench_module()
    started = time.perf_counter()
    if (build / "store").is_dir():  # the forked children read it as the parent opened it
        query_bench._STORE = ox.Store.read_only(str(build / "store"))
    else:
        query_bench._STORE = memory_store(with_reference([build / "cases.ttl"]))
    opened, resident = time.perf_counter() - started, resident_mb()
    triples = len(query_bench._STORE)
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            results = {name: query_bench.bounded("pyoxigraph", name, text, 3, timeout) for name, text in library()}
    finally:
        query_bench._STORE = None
    return results, opened, triples, resident


def against_rdflib(o: tuple, r: tuple) -> tuple[float | None, str]:
    """The ratio rdflib / embedded of one query (None: not measured) and what the row says of it."""
    seconds = r[1] if r[0] in ("ok", "timeout") else None
    if seconds is None:
        return None, f"rdflib: {r[1]}"
    ratio = seconds / max(o[1], 1e-6)
    same = "" if r[0] != "ok" else ("; same rows" if r[3] == o[3] else "; rows differ")
    return ratio, f"{'>' if r[0] == 'timeout' else ''}{ratio:,.1f}x faster than rdflib{same}"


def query_rows(build: Path, table: Table, timeout: float, sample: tuple[Path, int] | None = None) -> str:
    """Every library query on *build*, a row each: the embedded store against rdflib on the same
    graph; with *sample* (its build folder and documents), the embedded store on *build* alone and
    the ratio against rdflib taken on the sample, both engines on it. The summary's part: how many
    are 10x faster, the smallest ratio."""
    at = ""
    if sample is None:
        oxi, rdf = both_engines(build, timeout)
    else:
        oxi, opened, triples, resident = embedded(build, timeout)
        where = "open the build's on-disk store" if (build / "store").is_dir() else "load an in-memory store"
        table.add(Row(f"queries: {where} at N", opened, resident,
                      f"{triples:,} triples with the reference data; MB: this process with it open "
                      "(each query runs in a forked child)"))
        oxi_m, rdf_m = both_engines(sample[0], timeout)
        at = f" (both at {sample[1]:,} documents)"
    ratios = []
    for name, _ in library():
        o = oxi[name]
        if sample is None:
            if o[0] != "ok":
                table.add(Row(f"query {name}", note=f"embedded: {o[0]}"))
                continue
            ratio, note = against_rdflib(o, rdf[name])
        elif oxi_m[name][0] != "ok":  # the ratio is taken at M, whatever the query does at N
            ratio, note = None, f"at {sample[1]:,} documents: embedded: {oxi_m[name][0]}"
        else:
            ratio, note = against_rdflib(oxi_m[name], rdf_m[name])
            note = (f"at {sample[1]:,} documents: embedded {oxi_m[name][1]:.3f} s, "
                    f"{'rdflib ' + format(rdf_m[name][1], '.3f') + ' s, ' if rdf_m[name][0] == 'ok' else ''}{note}")
        if ratio is not None:
            ratios.append(ratio)
        if o[0] != "ok":
            note = f"embedded at N: {o[0]}; {note}"
        table.add(Row(f"query {name}", o[1] if o[0] == "ok" else None, None, note))
    fast = sum(1 for x in ratios if x >= 10)
    return f"queries >= 10x rdflib{at}: {fast} of {len(ratios)} (smallest {min(ratios, default=0):.1f}x)"


def extrapolated(seconds: float, peak: float, m: int, n: int) -> str:
    """What a row says of a baseline measured on m documents and extrapolated to n."""
    return (f"linear extrapolation to {n:,} documents: {seconds * n / m:,.0f} s, {peak * n / m:,.0f} MB "
            f"(a lower bound if pySHACL grows faster than linearly)")


class Sampled(NamedTuple):
    """A validation run kept for a later row (and across a resumed run): its time, memory and the
    digest of its report (:func:`lines_digest`)."""

    seconds: float
    peak_mb: float
    digest: str


def lines_digest(report: str) -> str:
    """The SHA-256 of a validation report's lines, the one naming the engine aside."""
    return hashlib.sha256("\n".join(report_lines(report)).encode("utf-8")).hexdigest()


def where(m: int | None, n: int) -> str:
    return f"sample of {m:,} documents" if m else f"{n:,} documents"


STATE = "bench-state.json"  # in --work: the settings, the steps done, their rows and what later rows need
SETTINGS = ("docs", "seed", "jobs", "sample", "scaling", "no_scaling", "no_validate", "no_pyshacl", "no_queries",
            "query_timeout", "serve_queries", "no_dask", "extraction_docs")
KEPT = ("head_line", "chars", "naive_build", "naive_validation", "py_sample", "one", "one_digest", "cold_j", "warm",
        "triples", "own_validation", "own_digest", "f1", "f1_docs", "same", "ratios", "growth")


class Bench:
    """One run: the options, the working folder, the table and what later rows and the summary need.
    Each step (:meth:`steps`) measures a group of rows; after each, what it measured is saved in
    ``WORK/bench-state.json``, so ``--resume`` carries on after the last step done."""

    def __init__(self, args: argparse.Namespace, work: Path):
        self.args, self.work = args, work
        self.n, self.j, self.m = args.docs, str(args.jobs), args.sample
        self.table = Table(args.log)
        self.done = Cleaner(args.keep)
        self.builds = Builds()
        self.pyshacl = not (args.no_validate or args.no_pyshacl)
        self.rust = not args.no_validate and installed("shacl")
        self.validating = () if args.no_validate else ("--validate",)  # the cold builds validate as they go
        self.corpus = work / "syn" / "docs"
        self.sample = work / "sample"
        self.finished: list[str] = []  # the steps done, in order
        self.head_line = ""
        self.ratios: list[str] = []
        self.growth: list[str] = []
        self.same = True
        self.py_sample: Sampled | None = None  # pySHACL in the naive row (on the sample, or at N), for later rows
        self.naive_validation = 0.0  # seconds of pySHACL at N in the naive row (extrapolated with a sample)
        self.own_validation: dict | None = None  # the cold J-worker build's own validation (its report.json)
        self.own_digest = ""  # of its report (lines_digest), before the 1% change
        self.one_digest = ""
        self.chars = self.one = self.cold_j = self.warm = self.naive_build = self.triples = 0
        self.f1: dict[str, float] = {}
        self.f1_docs = 0  # the documents whose planted cases f1 scores

    def add(self, *args, **kw) -> None:
        self.table.add(Row(*args, **kw))

    def attempt(self, step: str, *args: str) -> Measured | None:
        """`adminkg ARGS` for a row that later rows do not need: a failure (a step killed for memory
        at large N) becomes the row *step* saying so, and the run goes on."""
        try:
            return adminkg(*args)
        except StepFailed as exc:
            self.add(step, note=f"failed: {str(exc).splitlines()[0]}")
            return None

    # -- a run that can be resumed ------------------------------------------------------------------

    def settings(self) -> dict:
        return {k: getattr(self.args, k) for k in SETTINGS}

    def save(self) -> None:
        """What the steps done so far measured, written beside the builds (a temporary file, renamed)."""
        state = {"settings": self.settings(), "finished": self.finished,
                 "rows": [list(r) for r in self.table.rows], "triples": self.builds.triples,
                 "kept": {k: getattr(self, k) for k in KEPT}}
        tmp = self.work / f".{STATE}.new"
        tmp.write_text(json.dumps(state, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, self.work / STATE)

    def resume(self) -> None:
        """Take up the run saved in WORK: its rows and values; the steps it finished are not run again."""
        path = self.work / STATE
        try:
            state = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise SystemExit(f"scale_bench: --resume: {path} does not exist; start the run without --resume") from None
        except (OSError, ValueError) as exc:
            raise SystemExit(f"scale_bench: --resume: {path} cannot be read ({exc}); start the run again "
                             "without --resume") from None
        theirs, ours = state["settings"], json.loads(json.dumps(self.settings()))
        differ = [f"--{k.replace('_', '-')} {theirs.get(k)!r} there, {ours[k]!r} here" for k in ours
                  if theirs.get(k) != ours[k]]
        if differ:
            raise SystemExit(f"scale_bench: --resume: the run in {self.work} was started with other options ("
                             + "; ".join(differ) + "); give the same options, or leave out --resume to start again")
        self.finished = list(state["finished"])
        self.table.rows = [Row(*r) for r in state["rows"]]
        self.builds.triples = dict(state["triples"])
        for k, v in state["kept"].items():
            setattr(self, k, Sampled(*v) if k == "py_sample" and v is not None else v)
        self.table.say(f"resuming the run in {self.work} (load {os.getloadavg()[0]:.1f}): "
                       f"{len(self.finished)} steps done ({', '.join(self.finished)}), "
                       f"{len(self.table.rows)} rows kept")

    def steps(self) -> list[tuple[str, object]]:
        """(name, method) in order; a step named "" tidies up and runs on every resume."""
        args, m, work = self.args, self.m, self.work
        scaling = [] if args.no_scaling else args.scaling
        return [
            ("corpus", self.generate),
            ("sample", self.build_sample if m and (self.pyshacl or not args.no_queries) else None),
            ("naive", self.naive),
            ("one process", self.cold_one),
            ("dask", None if args.no_dask else self.dask),
            ("workers", self.cold_workers),
            ("validate", None if args.no_validate else self.validate),
            ("", lambda: self.done(work / "naive")),  # without a sample, the graph pySHACL validated
            ("extraction", self.extraction),
            ("queries", None if args.no_queries else self.queries),
            ("", lambda: self.done(self.sample, work / "sample-syn")),
            ("serve", self.serve if args.serve_queries else None),
            ("", lambda: self.done(work / "par")),
            *[(f"scale {k:g}", lambda k=k: self.scale(k)) for k in scaling],
        ]

    def run(self) -> None:
        for name, step in self.steps():
            if step is None or name in self.finished:
                continue
            step()
            if name:
                self.finished.append(name)
                self.save()

    # -- the steps -----------------------------------------------------------------------------------

    def generate(self) -> None:
        self.done(self.work / "syn")
        adminkg("synth", "--docs", str(self.n), "--seed", str(self.args.seed), "--out", str(self.work / "syn"))
        self.chars = sum(len(p.read_text(encoding="utf-8")) for p in self.corpus.rglob("syn-*.txt"))
        self.head_line = self.head() + (f"; pySHACL and rdflib on the first {self.m:,} documents" if self.m else "")
        self.table.say(self.head_line)

    def head(self) -> str:
        return (f"adminkg scale benchmark: N = {self.n} generated documents ({self.chars:,} characters), seed "
                f"{self.args.seed}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")

    def build_sample(self) -> None:
        """The first M documents (the same generator and seed), built (validated as the build goes, when
        validating), for the baselines that do not fit at N."""
        syn = self.work / "sample-syn"
        self.done(syn, self.sample)
        adminkg("synth", "--docs", str(self.m), "--seed", str(self.args.seed), "--out", str(syn))
        s, mem, _ = adminkg("build", "--corpus", str(syn / "docs"), "--out", str(self.sample), "--no-store",
                            "--jobs", self.j, *self.validating)
        self.add(f"sample: cold build of the first {self.m:,} documents (Turtle)", s, mem,
                 f"{size(self.m, self.builds.graph(self.sample)[1])}; pySHACL and rdflib run on it")

    def naive(self) -> None:
        """One process, no cache, then pySHACL on its Turtle (with a sample: on the sample's, extrapolated)."""
        n, m, out = self.n, self.m, self.work / "naive"
        self.done(out)
        s, mem, _ = adminkg("build", "--corpus", str(self.corpus), "--out", str(out), "--no-store", "--no-cache",
                            "--jobs", "1")
        self.naive_build = s
        note = f"{size(n, self.builds.graph(out)[1])}; {self.chars / s:,.0f} chars/s"
        step = "naive: 1 process, no cache"
        py = None
        if self.pyshacl and m:
            py = self.attempt(f"{step}: pySHACL on the sample", "validate", str(self.sample),
                              "--engine", "pyshacl", "--limit", "1000000")
            if py is not None:
                self.naive_validation = py.seconds * n / m
                note += (f"; pySHACL on {m:,} documents: {py.seconds:.1f} s, {py.peak_mb:,.0f} MB; "
                         + extrapolated(py.seconds, py.peak_mb, m, n))
                step, mem = f"{step}, then pySHACL (extrapolated)", max(mem, py.peak_mb)
        elif self.pyshacl:
            py = self.attempt(f"{step}: pySHACL", "validate", str(out), "--engine", "pyshacl", "--limit", "1000000")
            if py is not None:
                self.naive_validation = py.seconds
                step, mem = f"{step}, then pySHACL", max(mem, py.peak_mb)
        if py is not None:
            self.py_sample = Sampled(py.seconds, py.peak_mb, lines_digest(py.done.stdout))
        self.add(step, s + self.naive_validation, mem, note)
        if m:  # else the validate step compares the other engines with pySHACL on this graph, then it goes
            self.done(out)

    def built(self) -> str:
        return " (+ store, validated)" if self.validating else " (+ store)"

    def cold_one(self) -> None:
        """A cold build with one process: the bytes the others are compared with, the planted cases' F1."""
        n, work = self.n, self.work
        self.done(work / "one")
        s1, m1, _ = adminkg("build", "--corpus", str(self.corpus), "--out", str(work / "one"), "--jobs", "1",
                            *self.validating)
        self.one_digest, triples = self.builds.graph(work / "one")
        self.add(f"cold build, 1 process{self.built()}", s1, m1,
                 f"{size(n, triples)}; {self.chars / s1:,.0f} chars/s")
        # the planted cases: with a sample, in its build (the first M documents; the `cases` query on
        # the whole graph grows faster than linearly: over an hour at 100k documents)
        at_m = bool(self.m) and (self.sample / "cases.ttl").exists()
        self.f1 = recovered(work / "sample-syn", self.sample) if at_m else recovered(work / "syn", work / "one")
        self.f1_docs = self.m if at_m else n
        self.one = s1
        self.done(work / "one")

    def dask(self) -> None:
        """A cold build on a local Dask cluster of J workers, compared byte for byte."""
        work, j = self.work, self.j
        if not installed("distributed"):
            self.add("cold build, Dask", note="not measured: pip install 'adminkg[dask]'")
            return
        self.done(work / "dask")
        sd, md, _ = adminkg("build", "--corpus", str(self.corpus), "--out", str(work / "dask"), "--jobs", j,
                            "--executor", "dask", *self.validating)
        same_dask = self.builds.graph(work / "dask")[0] == self.one_digest
        self.done(work / "dask")
        self.same = self.same and same_dask
        self.add(f"cold build, local Dask cluster of {j} workers", sd, md,
                 f"{self.one / sd:.2f}x one process (cluster start-up included); byte-identical {same_dask}")
        self.ratios.append(f"dask-{j} / 1 process {self.one / sd:.2f}x")

    def cold_workers(self) -> None:
        """A cold build with J workers, compared byte for byte; then 1% of the documents change and it
        is built again (on a resumed run, from the documents as generated)."""
        n, j, par = self.n, self.j, self.work / "par"
        change(self.corpus, 0.01, self.args.seed, undo=True)
        self.done(par)
        sj, mj, _ = adminkg("build", "--corpus", str(self.corpus), "--out", str(par), "--jobs", j, *self.validating)
        digest_j, triples = self.builds.graph(par)
        self.same = self.same and digest_j == self.one_digest
        self.add(f"cold build, {j} workers{self.built()}", sj, mj,
                 f"{size(n, triples)}; {self.chars / sj:,.0f} chars/s; byte-identical {digest_j == self.one_digest}")
        self.add(f"speed-up with {j} workers", note=f"{self.one / sj:.2f}x one process")
        self.cold_j = sj
        if self.validating:
            self.own_validation = json.loads((par / "report.json").read_text(encoding="utf-8"))["validation"]
            self.own_digest = lines_digest((par / "validation.txt").read_text(encoding="utf-8"))
        changed = change(self.corpus, 0.01, self.args.seed)
        self.warm, mw, done = adminkg("build", "--corpus", str(self.corpus), "--out", str(par), "--jobs", j,
                                      *self.validating)
        self.triples = self.builds.graph(par)[1]  # what the queries see
        cache = next((ln for ln in done.stdout.splitlines() if ln.startswith("documents extracted")), "")
        self.add(f"rebuild after {changed} of {n} documents changed", self.warm, mw,
                 f"{size(n, self.triples)}; {cache}")

    def validate(self) -> None:
        """The build's own validation (per document in the workers, across documents once) and the Rust
        engine on a whole graph, against pySHACL: their reports compared on the graph pySHACL validated
        in the naive row (with a sample, the sample's; else N's, which the cold builds' equals byte for
        byte), the build's time taken at N."""
        n, m = self.n, self.m
        at = self.sample if m else self.work / "naive"
        py = self.py_sample
        if py is not None:
            self.add(f"validate, pySHACL, {where(m, n)}", py.seconds, py.peak_mb,
                     f"{size(m or n, self.builds.graph(at)[1])} (the naive row's run)"
                     + (f"; {extrapolated(py.seconds, py.peak_mb, m, n)}" if m else ""))
        own = self.own_validation
        if own is not None:
            per, cross = own["per_document"]["seconds"], own["cross_document"]["seconds"]
            seconds = per + cross
            note = (f"{size(n, own['cross_document']['merged_triples'])}; CPU of the per-document checks "
                    f"{per:.1f} s + across documents {cross:.1f} s "
                    f"({own['cross_document']['triples_read']:,} triples read); {own['engine']}")
            if self.naive_validation:
                ratio = self.naive_validation / seconds
                note += f"; {ratio:.1f}x faster than pySHACL" + (f" extrapolated from {m:,} documents" if m else "")
                self.ratios.append(f"validation pySHACL / the build's own {ratio:.1f}x"
                                   + (" (extrapolated)" if m else ""))
            self.add(f"validate during the cold {self.j}-worker build", seconds, None, note)
            if py is not None:
                own_digest = lines_digest((at / "validation.txt").read_text(encoding="utf-8")) if m else self.own_digest
                same = own_digest == py.digest
                self.add(f"the build's own report, {where(m, n)}", note=f"identical to pySHACL's {same}")
                self.ratios.append(f"the build's own report identical to pySHACL's {same}")
        if not self.rust:
            self.add("validate, Rust engine", note="not measured: pip install 'adminkg[fast-shacl]'")
            return
        rust = self.attempt(f"validate, Rust engine, {where(m, n)}", "validate", str(at), "--engine", "rust",
                            "--limit", "1000000")
        if rust is None:
            return
        if py is None:
            self.add(f"validate, Rust engine, {where(m, n)}", rust.seconds, rust.peak_mb, "no pySHACL report to "
                     "compare" + (" (--no-pyshacl)" if self.args.no_pyshacl else ""))
            return
        same = lines_digest(rust.done.stdout) == py.digest
        self.add(f"validate, Rust engine, {where(m, n)}", rust.seconds, rust.peak_mb,
                 f"{py.seconds / rust.seconds:.1f}x faster than pySHACL on the same graph; identical report {same}")
        self.ratios.append(f"validation pySHACL / Rust {py.seconds / rust.seconds:.1f}x"
                           + (f" at {m:,} documents" if m else "") + f", identical {same}")

    def extraction(self) -> None:
        """Extraction alone against Kiwi's tokenizer, one process each, on the same text (the first
        --extraction-docs documents)."""
        docs = min(self.args.extraction_docs or self.n, self.n)
        of = "" if docs == self.n else f", the first {docs:,} documents"
        try:
            se, ce, me = timed(EXTRACTION, self.corpus, docs)
        except StepFailed as exc:
            self.add("extraction alone", note=f"failed: {str(exc).splitlines()[0]}")
            return
        self.add(f"extraction alone, 1 process (no start-up){of}", se, me, f"{ce / se:,.0f} chars/s")
        if not installed("kiwipiepy"):
            self.add("Kiwi tokenize", note="not measured: pip install 'adminkg[bench]'")
            return
        try:
            sk, ck, mk = timed(KIWI, self.corpus, docs)
        except StepFailed as exc:
            self.add("Kiwi tokenize", note=f"failed: {str(exc).splitlines()[0]}")
            return
        self.add(f"Kiwi tokenize, same text, 1 process (no start-up){of}", sk, mk,
                 f"{ck / sk:,.0f} chars/s; extraction takes {se / sk:.1f}x Kiwi's time")
        self.ratios.append(f"extraction / Kiwi tokenize {se / sk:.1f}x the time")

    def queries(self) -> None:
        m = self.m
        self.ratios.append(query_rows(self.work / "par", self.table, self.args.query_timeout,
                                      sample=(self.sample, m) if m else None))

    def serve(self) -> None:
        """`adminkg serve` of the J-worker build (its on-disk store, as it is) under the load: answers
        cut by the server's time or size limit are counted apart from errors, with the queries they
        cut; a text the embedded store does not count within --query-timeout has its answers checked
        without their row count."""
        sys.path.insert(0, str(Path(__file__).parent))
        from serve_load import measure

        load = measure(self.work / "par", clients=50, queries=self.args.serve_queries, baseline=False,
                       count_timeout=self.args.query_timeout)
        example = f" (the first: {load['error examples'][0][:300]})" if load["errors"] else ""
        cut = "; ".join(f"{n} {what}" for what, n in load["cut by"].items())
        unchecked = f"; {load['unchecked']} of them not counted embedded within {self.args.query_timeout:g} s, " \
                    "checked without their row count" if load["unchecked"] else ""
        self.add(f"serve: 50 clients, {load['queries']:,} library queries", load["seconds"], None,
                 f"{load['queries/s']:.3g} queries/s, p50 {load['p50 ms']:.0f} ms, "
                 f"p99 {load['p99 ms']:.0f} ms, {load['errors']} errors{example}, "
                 f"{load['cut']} cut by a limit{': ' + cut if cut else ''} "
                 f"({load['distinct texts']} distinct texts{unchecked})")
        self.ratios.append(f"serve {load['queries/s']:.3g} q/s p99 {load['p99 ms']:.0f} ms errors {load['errors']} "
                           f"cut {load['cut']}")

    def scale(self, k: float) -> None:
        """A cold build of k×N documents (J workers): its time against N's."""
        docs, name = round(k * self.n), times_n(k)
        syn, out = self.work / f"syn-{name.replace('/', '-')}", self.work / f"b-{name.replace('/', '-')}"
        self.done(out, syn)
        adminkg("synth", "--docs", str(docs), "--seed", str(self.args.seed), "--out", str(syn))
        st, mt, _ = adminkg("build", "--corpus", str(syn / "docs"), "--out", str(out), "--jobs", self.j,
                            *self.validating)
        self.add(f"cold build of {name} = {docs} documents, {self.j} workers{self.built()}", st, mt,
                 f"{size(docs, self.builds.graph(out)[1])}; {st / self.cold_j:.2f}x the time of N (k = {k:g})")
        self.growth.append(f"{name} (k={k:g}) {st / self.cold_j:.2f}x")
        self.done(out, syn)

    def summary(self) -> str:
        m, j = self.m, self.j
        if not self.naive_validation:
            naive = "builds only" if not self.validating else "the naive build without pySHACL"
        else:
            naive = ("validated builds" + (f"; pySHACL extrapolated from {m:,} documents" if m else ""))
        naive_ratio = (self.naive_build + self.naive_validation) / self.cold_j
        return (f"summary: naive / cold-{j} {naive_ratio:.2f}x ({naive}); "
                f"{j} workers / 1 process {self.one / self.cold_j:.2f}x; "
                + "".join(f"{r}; " for r in self.ratios)
                + f"cold / rebuild after 1% {self.cold_j / self.warm:.2f}x; byte-identical {self.same}; "
                f"growth time(kN)/time(N) {', '.join(self.growth) or 'not measured'}; cases F1 {self.f1['cases']:.3f}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=200, help="N, the documents of the main runs (default 200)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=2, help="workers of the parallel runs (default 2)")
    ap.add_argument("--work", type=Path, default=None, help="working folder (default: a temporary one)")
    ap.add_argument("--keep", action="store_true",
                    help="keep every build folder in --work (default: each goes when its rows are done)")
    ap.add_argument("--resume", action="store_true",
                    help="carry on the run saved in --work (WORK/bench-state.json, the same options) after its "
                         "last finished step; its rows are kept")
    ap.add_argument("--log", type=Path, default=None, metavar="FILE",
                    help="append each row to FILE as soon as it is measured (they go to stderr too)")
    ap.add_argument("--scaling", type=multipliers, default=[2.0, 4.0], metavar="K,K",
                    help="the growth rows: cold builds of k×N documents for each k (default 2,4; at 100k, 0.25,0.5)")
    ap.add_argument("--no-scaling", action="store_true", help="leave out the growth rows")
    ap.add_argument("--sample", type=int, default=None, metavar="M",
                    help="run pySHACL and rdflib on a build of the first M documents only, extrapolated or "
                         "compared there (default: everything at N)")
    ap.add_argument("--no-validate", action="store_true",
                    help="leave out validation, pySHACL and the Rust engine (the naive row is then its build)")
    ap.add_argument("--no-pyshacl", action="store_true",
                    help="leave out pySHACL (the naive row is then its build), keep the Rust engine")
    ap.add_argument("--no-dask", action="store_true", help="leave out the build on a local Dask cluster")
    ap.add_argument("--extraction-docs", type=int, default=None, metavar="K",
                    help="time extraction and Kiwi on the first K documents (default: all N; a rate, the same "
                         "text for both)")
    ap.add_argument("--no-queries", action="store_true", help="leave out the library queries against rdflib")
    ap.add_argument("--query-timeout", type=float, default=60.0, metavar="S",
                    help="stop one query of one engine after S seconds (default 60)")
    ap.add_argument("--serve-queries", type=int, default=2000, metavar="Q",
                    help="library queries the 50 clients send the served build (default 2000; 0 leaves it out)")
    args = ap.parse_args(argv)
    n = args.docs
    if n < 1:
        ap.error(f"--docs {n}: give at least one document")
    if args.sample is not None and not 1 <= args.sample < n:
        ap.error(f"--sample {args.sample}: the sample must hold 1 to {n - 1} documents (fewer than --docs {n}); "
                 "leave it out to run everything at N")
    for k in [] if args.no_scaling else args.scaling:
        if round(k * n) < 1 or round(k * n) == n:
            ap.error(f"--scaling {k:g}: {k:g} x {n} documents rounds to {round(k * n)}; give a multiplier that "
                     "makes another number of documents")
    if args.keep and args.work is None:
        ap.error("--keep keeps the build folders of --work: give --work DIR")
    if args.resume and args.work is None:
        ap.error("--resume carries on the run saved in --work: give --work DIR")
    if args.extraction_docs is not None and args.extraction_docs < 1:
        ap.error(f"--extraction-docs {args.extraction_docs}: give at least one document")
    if args.log is not None:
        args.log.parent.mkdir(parents=True, exist_ok=True)
    work = args.work or Path(tempfile.mkdtemp(prefix="adminkg-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    bench = Bench(args, work)
    if args.resume:
        bench.resume()
    try:
        bench.run()
    except BaseException as exc:
        if bench.table.rows:  # what was measured before the failure
            print("the benchmark stopped; the rows measured so far:")
            print_table(bench.table.rows)
        if isinstance(exc, StepFailed):
            sys.exit(f"scale_bench: {exc}")
        raise
    finally:
        if args.work is None:  # a run in --work keeps its state (and the corpus), to resume or look at
            shutil.rmtree(work, ignore_errors=True)
    of = "" if bench.f1_docs == bench.n else f", in the build of the first {bench.f1_docs:,} documents"
    recovered_line = f"planted cases recovered (F1{of}): " + ", ".join(f"{k} {v:.3f}" for k, v in bench.f1.items())
    summary = bench.summary()
    print(bench.head_line)
    print_table(bench.table.rows)
    print(recovered_line)
    print(summary)
    bench.table.say(recovered_line, stderr=False)
    bench.table.say(summary, stderr=False)
    return 0 if bench.same else 1


if __name__ == "__main__":
    sys.exit(main())
