"""Benchmark (not a test): `make bench` — the build at scale on generated documents, one table and a
summary line of ratios, every number measured in this run on the same input.

    .venv/bin/python benchmarks/scale_bench.py [--docs N] [--seed S] [--jobs J] [--work DIR]

Rows (each step a fresh process: wall time and its peak resident memory, with its workers):
  naive       one process, no cache, Turtle only, then pySHACL on the Turtle (the pipeline before issue 15)
  cold 1      one process, with the cache (cold), Turtle + embedded store
  cold J      J worker processes, with the cache (cold); then the speed-up over one process
  dask J      on a local Dask cluster of J worker processes (when adminkg[dask] is installed)
  warm 1%     J workers after 1% of the documents changed (the rest come from the cache)
  validate    `adminkg validate` of the build with pySHACL and with the Rust engine (adminkg[fast-shacl]),
              their reports compared line by line (the line naming the engine aside)
  queries     every library query on the build (with the reference data): the embedded store
              (pyoxigraph) against rdflib's memory store, the rows compared (benchmarks/query_bench.py)
  serve       `adminkg serve` of the build under load: 50 clients sending 2,000 library queries with
              parameters (benchmarks/serve_load.py): throughput, p50 and p99 latency, errors
  extraction  extraction alone, one process, against Kiwi's tokenizer on the same text (kiwipiepy,
              adminkg[bench]; its model ships in the kiwipiepy_model wheel), start-up not counted
  scale 2N/4N cold builds of 2N and 4N documents (J workers), to see how the cost grows
and the planted cases recovered (F1 of cases, titles and technologies against the generator's gold).
A row is a :class:`Row`; a new measurement appends one to the list ``rows`` in :func:`main`.
"""
from __future__ import annotations

import argparse
import contextlib
import io
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


def print_table(rows: list[Row]) -> None:
    print(f"{'step':<56} {'seconds':>9} {'peak MB':>9}  note")
    for r in rows:
        seconds = f"{r.seconds:>9.2f}" if r.seconds is not None else f"{'':>9}"
        peak = f"{r.peak_mb:>9.0f}" if r.peak_mb is not None else f"{'':>9}"
        print(f"{r.step:<56} {seconds} {peak}  {r.note}".rstrip())


def run(*args: str) -> tuple[float, float, subprocess.CompletedProcess]:
    """(seconds, peak MB of the process and of the workers it waited for, the finished process)."""
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
        sys.exit(f"{' '.join(args)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return seconds, usage.ru_maxrss / 1024, done


def adminkg(*args: str):
    return run(str(BIN / "adminkg"), *args)


def change(corpus: Path, share: float, seed: int) -> int:
    """Append a sentence to *share* of the documents (at least one); return how many changed."""
    files = sorted(corpus.rglob("syn-*.txt"))
    chosen = random.Random(seed).sample(files, max(1, round(len(files) * share)))
    for f in chosen:
        f.write_text(f.read_text(encoding="utf-8") + "\n담당 부서는 사업을 계속 점검할 예정이다.\n", encoding="utf-8")
    return len(chosen)


# Extraction alone and Kiwi's tokenizer alone, each in a fresh process on the same files; each prints
# the seconds of its work (start-up not counted) and the characters it read.
EXTRACTION = """
import sys, time
from pathlib import Path
from adminkg.fragments import extract_one
from adminkg.loaders.korean import KoreanExtractor
files = sorted(Path(sys.argv[1]).rglob("syn-*.txt"))
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
texts = [read_document(f).text for f in sorted(Path(sys.argv[1]).rglob("syn-*.txt"))]
kiwi = Kiwi()
kiwi.tokenize("준비")
started = time.perf_counter()
for text in texts:
    kiwi.tokenize(text)
print(time.perf_counter() - started, sum(map(len, texts)))
"""


def timed(script: str, corpus: Path) -> tuple[float, int, float]:
    """(seconds of the work, characters, peak MB) of *script* run on *corpus* in a fresh process."""
    _, peak, done = run(sys.executable, "-c", script, str(corpus))
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


def query_rows(build: Path, rows: list[Row], timeout: float) -> str:
    """Every library query on *build* (with the reference data) in the embedded store and in
    rdflib, a row each; the summary's part: how many are 10x faster, the smallest ratio."""
    sys.path.insert(0, str(Path(__file__).parent))
    import query_bench

    from adminkg.queries import bind, library
    from adminkg.store import with_reference

    queries = [(q.name, bind(q, {})) for q in library()]
    nt = build / "bench-graph.nt"
    nt.write_text(query_bench.ntriples(with_reference([build / "cases.ttl"])), encoding="utf-8")
    with contextlib.redirect_stdout(io.StringIO()):  # its progress lines
        _, oxi = query_bench.run_pyoxigraph(nt, queries, 3, timeout)
        _, rdf = query_bench.run_rdflib(nt, queries, 1, timeout)
    ratios = []
    for name, _text in queries:
        o, r = oxi[name], rdf[name]
        if o[0] != "ok":
            rows.append(Row(f"query {name}", note=f"embedded: {o[0]}"))
            continue
        seconds = r[1] if r[0] in ("ok", "timeout") else None
        if seconds is None:
            note = f"rdflib: {r[1]}"
        else:
            ratio = seconds / max(o[1], 1e-6)
            ratios.append(ratio)
            same = "" if r[0] != "ok" else ("; same rows" if r[3] == o[3] else "; rows differ")
            note = f"{'>' if r[0] == 'timeout' else ''}{ratio:,.1f}x faster than rdflib{same}"
        rows.append(Row(f"query {name}", o[1], None, note))
    fast = sum(1 for x in ratios if x >= 10)
    return f"queries >= 10x rdflib: {fast} of {len(ratios)} (smallest {min(ratios, default=0):.1f}x)"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=200, help="N, the documents of the main runs (default 200)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=2, help="workers of the parallel runs (default 2)")
    ap.add_argument("--work", type=Path, default=None, help="working folder (default: a temporary one)")
    ap.add_argument("--no-scaling", action="store_true", help="leave out the 2N and 4N builds")
    ap.add_argument("--no-validate", action="store_true", help="leave out pySHACL (the naive row is then its build)")
    ap.add_argument("--no-queries", action="store_true", help="leave out the library queries against rdflib")
    ap.add_argument("--query-timeout", type=float, default=60.0, metavar="S",
                    help="stop one query of one engine after S seconds (default 60)")
    ap.add_argument("--serve-queries", type=int, default=2000, metavar="Q",
                    help="library queries the 50 clients send the served build (default 2000; 0 leaves it out)")
    args = ap.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="adminkg-bench-"))
    rows: list[Row] = []
    n, j = args.docs, str(args.jobs)
    ratios: list[str] = []
    try:
        adminkg("synth", "--docs", str(n), "--seed", str(args.seed), "--out", str(work / "syn"))
        corpus = work / "syn" / "docs"
        chars = sum(len(p.read_text(encoding="utf-8")) for p in corpus.rglob("syn-*.txt"))
        s, m, _ = adminkg("build", "--corpus", str(corpus), "--out", str(work / "naive"), "--no-store", "--no-cache",
                          "--jobs", "1")
        sv, mv = (adminkg("validate", str(work / "naive"), "--engine", "pyshacl")[:2] if not args.no_validate
                  else (0.0, 0.0))
        rows.append(Row("naive: 1 process, no cache" + (", then pySHACL" if not args.no_validate else ""), s + sv,
                        max(m, mv), f"{chars / s:,.0f} chars/s"))
        s1, m1, _ = adminkg("build", "--corpus", str(corpus), "--out", str(work / "one"), "--jobs", "1")
        rows.append(Row("cold build, 1 process (+ store)", s1, m1, f"{chars / s1:,.0f} chars/s"))
        sj, mj, _ = adminkg("build", "--corpus", str(corpus), "--out", str(work / "par"), "--jobs", j)
        rows.append(Row(f"cold build, {j} workers (+ store)", sj, mj, f"{chars / sj:,.0f} chars/s"))
        rows.append(Row(f"speed-up with {j} workers", note=f"{s1 / sj:.2f}x one process"))
        same = (work / "one" / "cases.ttl").read_bytes() == (work / "par" / "cases.ttl").read_bytes()
        if installed("distributed"):
            sd, md, _ = adminkg("build", "--corpus", str(corpus), "--out", str(work / "dask"), "--jobs", j,
                                "--executor", "dask")
            same_dask = (work / "one" / "cases.ttl").read_bytes() == (work / "dask" / "cases.ttl").read_bytes()
            same = same and same_dask
            rows.append(Row(f"cold build, local Dask cluster of {j} workers", sd, md,
                            f"{s1 / sd:.2f}x one process (cluster start-up included); byte-identical {same_dask}"))
            ratios.append(f"dask-{j} / 1 process {s1 / sd:.2f}x")
        else:
            rows.append(Row("cold build, Dask", note="not measured: pip install 'adminkg[dask]'"))
        changed = change(corpus, 0.01, args.seed)
        sw, mw, done = adminkg("build", "--corpus", str(corpus), "--out", str(work / "par"), "--jobs", j)
        rows.append(Row(f"rebuild after {changed} of {n} documents changed", sw, mw,
                        next((ln for ln in done.stdout.splitlines() if ln.startswith("documents extracted")), "")))
        sv2 = 0.0
        if not args.no_validate:
            sp, mp, py = adminkg("validate", str(work / "par"), "--engine", "pyshacl", "--limit", "1000000")
            rows.append(Row("validate, pySHACL", sp, mp))
            sv2 = sp
            if installed("shacl"):
                sr, mr, rust = adminkg("validate", str(work / "par"), "--engine", "rust", "--limit", "1000000")
                same_report = report_lines(py.stdout) == report_lines(rust.stdout)
                rows.append(Row("validate, Rust engine", sr, mr,
                                f"{sp / sr:.1f}x faster; identical report {same_report}"))
                ratios.append(f"validation pySHACL / Rust {sp / sr:.1f}x, identical {same_report}")
                sv2 = sr
            else:
                rows.append(Row("validate, Rust engine", note="not measured: pip install 'adminkg[fast-shacl]'"))
        se, ce, me = timed(EXTRACTION, corpus)
        rows.append(Row("extraction alone, 1 process (no start-up)", se, me, f"{ce / se:,.0f} chars/s"))
        if installed("kiwipiepy"):
            sk, ck, mk = timed(KIWI, corpus)
            rows.append(Row("Kiwi tokenize, same text, 1 process (no start-up)", sk, mk,
                            f"{ck / sk:,.0f} chars/s; extraction takes {se / sk:.1f}x Kiwi's time"))
            ratios.append(f"extraction / Kiwi tokenize {se / sk:.1f}x the time")
        else:
            rows.append(Row("Kiwi tokenize", note="not measured: pip install 'adminkg[bench]'"))
        if not args.no_queries:
            ratios.append(query_rows(work / "par", rows, args.query_timeout))
        if args.serve_queries:
            sys.path.insert(0, str(Path(__file__).parent))
            from serve_load import measure

            load = measure(work / "par", clients=50, queries=args.serve_queries, baseline=False)
            rows.append(Row(f"serve: 50 clients, {load['queries']:,} library queries", load["seconds"], None,
                            f"{load['queries/s']:.0f} queries/s, p50 {load['p50 ms']:.0f} ms, "
                            f"p99 {load['p99 ms']:.0f} ms, {load['errors']} errors"))
            ratios.append(f"serve {load['queries/s']:.0f} q/s p99 {load['p99 ms']:.0f} ms errors {load['errors']}")
        scaling = [(n, sj)]
        if not args.no_scaling:
            for k in (2, 4):
                adminkg("synth", "--docs", str(k * n), "--seed", str(args.seed), "--out", str(work / f"syn{k}"))
                sk, mk, _ = adminkg("build", "--corpus", str(work / f"syn{k}" / "docs"), "--out", str(work / f"b{k}"),
                                    "--jobs", j)
                rows.append(Row(f"cold build of {k}N = {k * n} documents, {j} workers", sk, mk,
                                f"{sk / sj:.2f}x the time of N"))
                scaling.append((k * n, sk))
        f1 = recovered(work / "syn", work / "one")
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    print(f"adminkg scale benchmark: N = {n} generated documents ({chars:,} characters), seed {args.seed}, "
          f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    print_table(rows)
    print("planted cases recovered (F1): " + ", ".join(f"{k} {v:.3f}" for k, v in f1.items()))
    growth = ", ".join(f"{k}N {t / sj:.2f}x" for (size, t), k in zip(scaling[1:], (2, 4)))
    print(f"summary: naive / cold-{j} {(s + sv) / (sj + sv2):.2f}x; {j} workers / 1 process {s1 / sj:.2f}x; "
          + "".join(f"{r}; " for r in ratios)
          + f"cold / rebuild after 1% {sj / sw:.2f}x; byte-identical {same}; "
          f"growth {growth or 'not measured'}; cases F1 {f1['cases']:.3f}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
