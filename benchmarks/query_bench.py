"""Benchmark (not a test): every query of the library (queries/*.rq) on a graph of about a million
triples, in the embedded store (pyoxigraph, in memory) and in rdflib's memory store, in the same run.

    .venv/bin/python benchmarks/query_bench.py [--triples 1000000] [--rdflib-timeout 120] [--out graph.nt]

The graph is the published one (data/ttl/cases.ttl) repeated: replica 0 is the data as published,
replica i renames every resource the build mints (cases and their outcomes, metrics, problems and
collaborations, awards, contests, evidence and its selectors, documents, units, organisations
created from the text: IRIs under https://w3id.org/adminkg/{case,award,contest,evidence,document,
unit,org}/) with the suffix -r<i>, moves akg:year (of cases and contests) and dcterms:date i years
back and files its documents under r<i>/. Agencies of the gazetteer, vocabulary concepts (technologies,
grades, …) and the ontology keep their IRIs, so every replica joins the same reference data, which is
added once (ontology, vocabularies, gazetteer). Each replica adds about 51k triples; the number of
replicas is chosen to come nearest to --triples. The graph is written as N-Triples to --out (default:
the temp folder) and reused by a later run with the same inputs.

Measured: the load time of each engine (pyoxigraph: Store.load and Store.bulk_load of the N-Triples
file; rdflib: Graph.parse), then for each query with its default parameters (adminkg.queries.bind)
the time to evaluate it and consume every row: pyoxigraph the best of --repeat runs, rdflib one run
in a forked child process (the loaded graph is shared copy-on-write), killed after --rdflib-timeout
seconds; a killed query counts as ">S" and its ratio as a lower bound. The row counts of the two
engines are compared, and so are the rows themselves (as sorted strings, order ignored). The table
ends with the geometric mean of the ratios rdflib / pyoxigraph.

Defaults: at --triples 1000000 on 2 cores (AMD EPYC) the run takes about 9 minutes: loads take
seconds (rdflib about 30 s), most queries take under a second in pyoxigraph and seconds in rdflib, and
the time limits (120 s each) bound the few queries an engine evaluates in time that grows faster than
the graph. Timings are wall-clock on whatever else the machine runs: keep it otherwise idle.
"""
from __future__ import annotations

import argparse
import hashlib
import math
import multiprocessing
import os
import platform
import re
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox
import rdflib

# The checkout this script is in, not whichever one the virtual environment's editable install points at.
if (Path(__file__).resolve().parents[1] / "adminkg").is_dir():
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from adminkg import paths  # noqa: E402
from adminkg.queries import bind, library  # noqa: E402
from adminkg.store import memory_store, with_reference  # noqa: E402

GENERATOR = "query_bench/1"  # part of the cache key: change it when the replication changes
CASES_TTL = paths.DATA_TTL_DIR / "cases.ttl"

# Resources the build mints (one set per document corpus); everything else is shared reference data.
_MINTED = re.compile(r"<https://w3id\.org/adminkg/(?:case|award|contest|evidence|document|unit|org)/[^>#]*")
_YEAR = re.compile(r'(<https://w3id\.org/adminkg/ontology#year> ")(-?[0-9]+)(")')
_DATE = re.compile(r'(<http://purl\.org/dc/terms/date> ")([0-9]{4})(-[0-9]{2}-[0-9]{2})')
_FILE = re.compile(r'(<https://w3id\.org/adminkg/ontology#fileName> ")')


def ntriples(files: list[Path]) -> str:
    """The Turtle *files* as one N-Triples text (one triple a line)."""
    return ox.serialize(memory_store(files), format=ox.RdfFormat.N_TRIPLES).decode("utf-8")


def replica(base: str, i: int) -> str:
    """Replica *i* of the N-Triples text *base* (0 is *base* itself)."""
    if i == 0:
        return base

    def year(m: re.Match) -> str:
        return f"{m[1]}{int(m[2]) - i}{m[3]}"

    def date(m: re.Match) -> str:
        y = int(m[2]) - i
        rest = m[3]
        if rest == "-02-29" and not (y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)):
            rest = "-02-28"
        return f"{m[1]}{y:04d}{rest}"

    text = _MINTED.sub(rf"\g<0>-r{i}", base)
    text = _YEAR.sub(year, text)
    text = _DATE.sub(date, text)
    return _FILE.sub(rf"\g<1>r{i}/", text)


def generate(target: int, out: Path | None) -> tuple[Path, int, int]:
    """Write (or reuse) the benchmark graph; its path, triple count and number of replicas."""
    extra = with_reference([])
    key = hashlib.sha256(f"{GENERATOR} {target}".encode())
    for f in [CASES_TTL, *extra]:
        key.update(f.read_bytes())
    digest = key.hexdigest()[:16]
    if out is None:
        out = Path(tempfile.gettempdir()) / f"adminkg-bench-{target}-{digest}.nt"
    meta = out.with_name(out.name + ".meta")
    if out.exists() and meta.exists():
        stored_key, triples, copies = meta.read_text().split()
        if stored_key == digest:
            print(f"graph: {int(triples):,} triples ({copies} replicas), reused {out}", flush=True)
            return out, int(triples), int(copies)
    started = time.perf_counter()
    fixed = ntriples(extra)
    base = ntriples([CASES_TTL])
    n_fixed, n_base = fixed.count("\n"), base.count("\n")
    copies = max(1, round((target - n_fixed) / n_base))
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8") as fh:
        fh.write(fixed)
        for i in range(copies):
            fh.write(replica(base, i))
    triples = n_fixed + copies * n_base
    meta.write_text(f"{digest} {triples} {copies}\n")
    elapsed = time.perf_counter() - started
    print(f"graph: {triples:,} triples = {n_fixed:,} reference + {copies} replicas x {n_base:,} of cases.ttl, "
          f"generated in {elapsed:.1f} s: {out} ({out.stat().st_size / 1e6:.0f} MB)", flush=True)
    return out, triples, copies


def _text(term) -> str:
    """A result term as plain text, the same for both engines (blank node labels differ: not compared)."""
    if term is None:
        return "\x00"
    if isinstance(term, ox.BlankNode | rdflib.BNode):
        return "_:"
    return term.value if isinstance(term, ox.NamedNode | ox.Literal) else str(term)


def digest(rows) -> str:
    lines = sorted("\x1f".join(_text(t) for t in row) for row in rows)
    return hashlib.sha256("\x1e".join(lines).encode("utf-8")).hexdigest()


def machine() -> None:
    cores = os.cpu_count()
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cores
    cpu = ""
    mem = ""
    try:
        cpu = next(ln.split(":", 1)[1].strip() for ln in open("/proc/cpuinfo") if ln.startswith("model name"))
        kb = next(int(ln.split()[1]) for ln in open("/proc/meminfo") if ln.startswith("MemTotal"))
        mem = f", {kb / 2**20:.0f} GiB"
    except (OSError, StopIteration):
        pass
    print(f"python {platform.python_version()} ({platform.python_implementation()}), pyoxigraph {ox.__version__}, "
          f"rdflib {rdflib.__version__}", flush=True)
    print(f"machine: {platform.system()} {platform.machine()}, {cores} cores ({usable} usable){mem}"
          + (f", {cpu}" if cpu else ""), flush=True)


_STORE: ox.Store | None = None  # the loaded store or graph, inherited by the forked children
_GRAPH: rdflib.Graph | None = None
SHORT = 1.0  # a run under this many seconds is repeated (up to --repeat times), the best counts


def _child(engine: str, text: str, repeat: int, conn) -> None:
    try:
        best = math.inf
        for _ in range(repeat):
            started = time.perf_counter()
            rows = list(_STORE.query(text) if engine == "pyoxigraph" else _GRAPH.query(text))
            elapsed = time.perf_counter() - started
            best = min(best, elapsed)
            if elapsed >= SHORT:
                break
        conn.send(("ok", best, len(rows), digest(rows)))
    except Exception as exc:  # an engine's refusal is a result, not a crash of the benchmark
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def bounded(engine: str, name: str, text: str, repeat: int, timeout: float) -> tuple:
    """Run one query in a forked child killed after *timeout* s: ("ok", seconds, rows, digest),
    ("timeout", seconds) or ("error", message)."""
    ctx = multiprocessing.get_context("fork")
    receiver, sender = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child, args=(engine, text, repeat, sender), daemon=True)
    started = time.perf_counter()
    child.start()
    sender.close()
    if receiver.poll(timeout):
        try:
            result = receiver.recv()
        except EOFError:
            child.join()
            result = ("error", f"child process died (exit code {child.exitcode})")
    else:
        child.kill()
        result = ("timeout", time.perf_counter() - started)
    child.join()
    receiver.close()
    shown = {"ok": lambda: f"{result[2]} rows, {result[1]:.3f} s", "timeout": lambda: f"killed after {timeout:g} s",
             "error": lambda: f"error {result[1]}"}[result[0]]()
    print(f"  {engine} {name}: {shown}", flush=True)
    return result


def run_pyoxigraph(path: Path, queries: list[tuple[str, str]], repeat: int, timeout: float) -> tuple[dict, dict]:
    global _STORE
    loads = {}
    started = time.perf_counter()
    _STORE = ox.Store()
    _STORE.load(path=str(path), format=ox.RdfFormat.N_TRIPLES)
    loads["pyoxigraph Store.load"] = time.perf_counter() - started
    print(f"pyoxigraph Store.load: {loads['pyoxigraph Store.load']:.1f} s ({len(_STORE):,} triples)", flush=True)
    _STORE = None
    started = time.perf_counter()
    _STORE = ox.Store()
    _STORE.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES)
    loads["pyoxigraph Store.bulk_load"] = time.perf_counter() - started
    print(f"pyoxigraph Store.bulk_load: {loads['pyoxigraph Store.bulk_load']:.1f} s ({len(_STORE):,} triples)",
          flush=True)
    results = {name: bounded("pyoxigraph", name, text, repeat, timeout) for name, text in queries}
    _STORE = None
    return loads, results


def run_rdflib(path: Path, queries: list[tuple[str, str]], repeat: int, timeout: float) -> tuple[dict, dict]:
    global _GRAPH
    started = time.perf_counter()
    _GRAPH = rdflib.Graph()
    _GRAPH.parse(str(path), format="nt")
    loads = {"rdflib Graph.parse": time.perf_counter() - started}
    print(f"rdflib Graph.parse: {loads['rdflib Graph.parse']:.1f} s ({len(_GRAPH):,} triples)", flush=True)
    list(_GRAPH.query("SELECT ?s WHERE { ?s ?p ?o } LIMIT 1"))  # builds the SPARQL parser once, before forking
    results = {name: bounded("rdflib", name, text, repeat, timeout) for name, text in queries}
    _GRAPH = None
    return loads, results


def _ratio(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}" if value >= 10 else f"{value:.3g}"


def _seconds(r: tuple, timeout: float) -> str:
    return {"ok": lambda: f"{r[1]:.3f}", "timeout": lambda: f">{timeout:g}", "error": lambda: "error"}[r[0]]()


def table(queries, oxi: dict, rdf: dict, ox_timeout: float, rdf_timeout: float) -> None:
    width = max(len("query"), *(len(n) for n, _ in queries))
    print()
    print(f"{'query':<{width}}  {'rows':>7}  {'pyoxigraph s':>12}  {'rdflib s':>10}  {'rdflib/pyox':>11}  check")
    exact: list[float] = []
    bounds: list[tuple[str, float]] = []  # (">" or "<", ratio at the time limit)
    differ = []
    for name, _ in queries:
        o, r = oxi[name], rdf[name]
        rows = str(o[2]) if o[0] == "ok" else (str(r[2]) if r[0] == "ok" else "?")
        ratio, check = "", ""
        if o[0] == "ok" and r[0] == "ok":
            value = r[1] / max(o[1], 1e-6)
            exact.append(value)
            ratio = _ratio(value)
            if o[2] != r[2]:
                check = f"ROW COUNTS DIFFER: pyoxigraph {o[2]}, rdflib {r[2]}"
            elif o[3] != r[3]:
                check = "same count, different rows"
            else:
                check = "same rows"
            if check != "same rows":
                differ.append((name, check))
        elif o[0] == "ok" and r[0] == "timeout":
            value = rdf_timeout / max(o[1], 1e-6)
            bounds.append((">", value))
            ratio = ">" + _ratio(value)
            check = "not compared (rdflib killed)"
        elif o[0] == "timeout" and r[0] == "ok":
            value = r[1] / ox_timeout
            bounds.append(("<", value))
            ratio = "<" + _ratio(value)
            check = "not compared (pyoxigraph killed)"
        elif o[0] == "timeout" and r[0] == "timeout":
            check = "not compared (both killed)"
        if "error" in (o[0], r[0]):
            check = "; ".join(f"{e} error: {x[1]}" for e, x in (("pyoxigraph", o), ("rdflib", r)) if x[0] == "error")
            differ.append((name, check))
        print(f"{name:<{width}}  {rows:>7}  {_seconds(o, ox_timeout):>12}  {_seconds(r, rdf_timeout):>10}  "
              f"{ratio:>11}  {check}")

    def gmean(values: list[float]) -> float:
        return math.exp(sum(math.log(x) for x in values) / len(values))

    if exact:
        print(f"geometric mean of rdflib/pyoxigraph over the {len(exact)} queries both engines finished: "
              f"{gmean(exact):,.2f}")
    if bounds:
        kinds = {k for k, _ in bounds}
        sign = ">" if kinds == {">"} else "<" if kinds == {"<"} else "~"
        lower, upper = sum(k == ">" for k, _ in bounds), sum(k == "<" for k, _ in bounds)
        kind = "a lower bound" if sign == ">" else "an upper bound" if sign == "<" else "mixed bounds, no bound"
        what = "the query" if len(bounds) == 1 else f"the {len(bounds)} queries"
        print(f"with {what} an engine did not finish counted at its time limit "
              f"({lower} rdflib, {upper} pyoxigraph; {kind}): {sign}{gmean(exact + [v for _, v in bounds]):,.2f}")
    if differ:
        print("engines disagree on: " + "; ".join(f"{n} ({c})" for n, c in differ))
    else:
        print("the engines agree on every query both finished (row counts and rows)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] + " " + __doc__.splitlines()[1],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="\n".join(__doc__.splitlines()[4:]))
    ap.add_argument("--triples", type=int, default=1_000_000, help="size of the graph to generate (default 1000000)")
    ap.add_argument("--out", type=Path, help="N-Triples file of the graph, reused when its inputs are unchanged "
                    "(default: adminkg-bench-N-KEY.nt in the temp folder)")
    ap.add_argument("--rdflib-timeout", type=float, default=120.0, metavar="S",
                    help="kill an rdflib query after S seconds (default 120)")
    ap.add_argument("--pyoxigraph-timeout", type=float, default=120.0, metavar="S",
                    help="kill a pyoxigraph query after S seconds (default 120)")
    ap.add_argument("--repeat", type=int, default=3,
                    help=f"runs of a query that takes under {SHORT:g} s, the best counts (default 3)")
    ap.add_argument("--only", metavar="NAMES", help="comma-separated query names to run instead of the whole library")
    args = ap.parse_args()
    wall = time.perf_counter()
    machine()
    queries = [(q.name, bind(q, {})) for q in library()]
    if args.only:
        wanted = set(args.only.split(","))
        unknown = wanted - {n for n, _ in queries}
        if unknown:
            ap.error(f"no such query: {', '.join(sorted(unknown))}")
        queries = [(n, t) for n, t in queries if n in wanted]
    print(f"queries: {len(queries)} from {paths.QUERIES_DIR}", flush=True)
    path, _, _ = generate(args.triples, args.out)
    ox_loads, oxi = run_pyoxigraph(path, queries, max(1, args.repeat), args.pyoxigraph_timeout)
    rdf_loads, rdf = run_rdflib(path, queries, max(1, args.repeat), args.rdflib_timeout)
    print()
    for what, seconds in {**ox_loads, **rdf_loads}.items():
        print(f"load {what}: {seconds:.1f} s")
    print(f"load ratio rdflib parse / pyoxigraph bulk_load: "
          f"{rdf_loads['rdflib Graph.parse'] / ox_loads['pyoxigraph Store.bulk_load']:.1f}")
    table(queries, oxi, rdf, args.pyoxigraph_timeout, args.rdflib_timeout)
    print(f"total run time: {time.perf_counter() - wall:.0f} s")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
