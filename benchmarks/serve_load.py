"""Benchmark (not a test): `adminkg serve` under a bounded load on loopback — concurrent clients
sending library queries with parameters to the served endpoint, as researchers' scripts would.

    .venv/bin/python benchmarks/serve_load.py [--data data/ttl] [--clients 50] [--queries 2000] [--seed 0]

The workload: --queries requests drawn at random (seeded) from the library queries of LOAD, each
parameter given a value the graph holds (an agency that leads a case, a technology a case uses, a
case, a year …: the SPARQL of VALUES selects them from the same data; a seeded sample of POOL
values of each kind, so texts repeat as in a researcher's session), resolved and bound as
`adminkg query --param` does (adminkg.params.resolve, adminkg.queries.bind). The server is the
real command, `adminkg serve --data DIR --port 0` (its default limits: a query may run 60 s, an
answer may hold 16 MB, 16 requests are answered at once and more wait), started and stopped here.
Each client is a thread that POSTs one query at a time (a new connection each, as urllib and
SPARQLWrapper do) and checks the answer is SPARQL JSON results with the row count the embedded
store gives for the same text.

Measured: the wall time of the whole load, throughput (queries/s), latency per query (p50, p99,
max, from sending to the last byte read), queries cut by a limit (the server's one-line 504 past
its --timeout, 500 past its --max-result-bytes, or 503 when it is busy — no query slot free within
--timeout, or its waiting room full: a query that legitimately takes too long on a big
graph, counted by query name with the limit it met), errors (any other answer that is no 200 with
the expected SPARQL results); and as the baseline in the same run, the same queries one after the other
embedded (pyoxigraph in this process: no HTTP, no concurrency, each answer serialised as SPARQL
JSON) on the same on-disk store the server reads (served / embedded throughput), and in an
in-memory store (what `adminkg query --data data/ttl` uses: RocksDB costs several times more on
these queries).

scale_bench (or anyone) calls measure(data_dir, clients=50, queries=2000) -> dict.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

# The checkout this script is in, not whichever one the virtual environment's editable install points at.
if (Path(__file__).resolve().parents[1] / "adminkg").is_dir():
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from adminkg import paths  # noqa: E402
from adminkg.params import resolve  # noqa: E402
from adminkg.queries import bind, get_query  # noqa: E402
from adminkg.store import build_store, turtle_files, with_reference  # noqa: E402

BIN = Path(sys.executable).parent
PREFIXES = """PREFIX akg: <https://w3id.org/adminkg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
# Where each kind of parameter value comes from: a SELECT of ?v over the served graph.
VALUES = {
    "agency": 'SELECT DISTINCT ?v WHERE { ?case akg:leadAgency ?v '
              'FILTER(STRSTARTS(STR(?v), "https://w3id.org/adminkg/agency/")) }',
    "technology": "SELECT DISTINCT ?v WHERE { ?case akg:usesTechnology/skos:notation ?v }",
    "case": "SELECT DISTINCT ?v WHERE { ?v a akg:InnovationCase }",
    "case-year": "SELECT DISTINCT ?v WHERE { ?case a akg:InnovationCase ; akg:year ?v }",
    "contest-year": "SELECT DISTINCT ?v WHERE { ?award akg:contest/akg:year ?v }",
    "grade": "SELECT DISTINCT ?v WHERE { ?award akg:grade/skos:notation ?v }",
    "collaboration-kind": "SELECT DISTINCT ?v WHERE { ?c akg:collaborationKind/skos:notation ?v }",
    "change": "SELECT DISTINCT ?v WHERE { ?m akg:changeKind/skos:notation ?v }",
}
# The library queries of the load (those a researcher asks with parameters; not the export's
# site-evidence, nor the curators' review queries) and the kind of each parameter's values.
LOAD = {
    "agency-pairs": {"agency": "agency"},
    "agency-partners": {"agency": "agency"},
    "awards-by-contest": {"year": "contest-year"},
    "beneficiaries-per-technology": {"tech": "technology"},
    "cases-by-technology": {"tech": "technology", "year": "case-year"},
    "collaboration-kinds": {"kind": "collaboration-kind", "year": "case-year"},
    "departments-that-win": {"grade": "grade", "year": "contest-year"},
    "evidence": {"case": "case"},
    "outcomes-by-metric": {"change": "change"},
    "similar-cases": {"case": "case"},
    "technology-diffusion": {"tech": "technology"},
    "technology-first-adopters": {"tech": "technology"},
}
POOL = 12  # values of each kind the load draws from (a seeded sample of those the graph holds)
ACCEPT = "application/sparql-results+json"
CLIENT_TIMEOUT = 300.0  # seconds a client waits for one answer (the server's own limit is shorter)


@dataclass(frozen=True)
class Request:
    name: str
    params: dict
    text: str
    rows: int | None  # the embedded store's row count for the text (None: not counted within the time given)


@dataclass
class Outcome:
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    cut: list[str] = field(default_factory=list)  # "NAME: the limit's message", one per answer cut by a limit
    rows: int = 0


# The gateway's answers to a query cut by a limit (adminkg.gateway): status and the start of its message
# (503: busy, no query slot came free within the time limit, or the waiting room is full).
CUT = {504: "504 Gateway Timeout: the query ran past the time limit",
       500: "500 Internal Server Error: the result is larger than the limit",
       503: "503 Service Unavailable: the server "}


def cut_by_limit(status: int, body: bytes) -> str | None:
    """The gateway's message when *body* answers a query cut by its time or size limit, else ``None``."""
    text = body.decode("utf-8", "replace").strip()
    return text.split(";")[0] if status in CUT and text.startswith(CUT[status]) else None


def _value(term) -> str:
    return term.value


def count(store, text: str, timeout: float | None = None) -> int | None:
    """The rows *text* finds in *store*; with *timeout*, counted in a forked child that is stopped
    after *timeout* seconds (``None``: a query that takes longer on a big graph)."""
    if timeout is None:
        return sum(1 for _ in store.query(text, use_default_graph_as_union=True))
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=lambda: sender.send(count(store, text)), daemon=True)
    child.start()
    sender.close()
    try:
        return receiver.recv() if receiver.poll(timeout) else None
    except EOFError:  # the child died
        return None
    finally:
        child.kill()
        child.join()
        receiver.close()


def workload(store, queries: int, seed: int = 0, count_timeout: float | None = None) -> list[Request]:
    """*queries* requests drawn (seeded) from LOAD with values the graph of *store* holds (POOL of
    each kind), each with its row count on *store* (with *count_timeout*: ``None`` for a text not
    counted within that many seconds; its answers are checked without their row count)."""
    rng = random.Random(seed)
    values = {}
    for kind, text in VALUES.items():
        found = sorted(_value(s["v"]) for s in store.query(PREFIXES + text, use_default_graph_as_union=True))
        if found:
            values[kind] = rng.sample(found, min(POOL, len(found)))
    # a small graph may hold no value of a kind (no year, no change): the queries asking for one stay out
    names = sorted(name for name, kinds in LOAD.items() if all(k in values for k in kinds.values()))
    if not names:
        raise SystemExit("the graph holds no values for any query of the load")
    library = {name: get_query(name) for name in names}
    counted: dict[str, int | None] = {}
    out = []
    for _ in range(queries):
        name = rng.choice(names)
        params = {p: rng.choice(values[kind]) for p, kind in LOAD[name].items()}
        text = bind(library[name], resolve(library[name], params))
        if text not in counted:
            counted[text] = count(store, text, count_timeout)
        out.append(Request(name, params, text, counted[text]))
    return out


def check(answer: bytes, rows: int | None) -> str | None:
    """What is wrong with *answer* as the SPARQL JSON results of *rows* rows (any number when
    *rows* is ``None``); ``None``: nothing."""
    try:
        data = json.loads(answer)
    except ValueError as exc:
        return f"not JSON: {exc}"
    names = data.get("head", {}).get("vars") if isinstance(data, dict) else None
    bindings = data.get("results", {}).get("bindings") if isinstance(data, dict) else None
    if not isinstance(names, list) or not isinstance(bindings, list):
        return "not SPARQL JSON results (head.vars and results.bindings)"
    for row in bindings:
        if not set(row) <= set(names) or any(t.get("type") not in ("uri", "literal", "bnode") or "value" not in t
                                             for t in row.values()):
            return f"a malformed row: {json.dumps(row, ensure_ascii=False)[:200]}"
    if rows is not None and len(bindings) != rows:
        return f"{len(bindings)} rows, the embedded store gives {rows}"
    return None


def post(url: str, text: str, timeout: float = CLIENT_TIMEOUT) -> tuple[int, dict, bytes]:
    """(status, headers, body) of a SPARQL query POSTed as a form (as SPARQLWrapper does)."""
    req = urllib.request.Request(url, data=urllib.parse.urlencode({"query": text}).encode(),
                                 headers={"Accept": ACCEPT, "Content-Type": "application/x-www-form-urlencoded"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def load(url: str, requests: list[Request], clients: int) -> Outcome:
    """Send *requests* to the endpoint *url* from *clients* threads, one query at a time each."""
    outcome = Outcome(latencies=[0.0] * len(requests))
    lock = threading.Lock()
    queue = iter(range(len(requests)))

    def client() -> None:
        while True:
            with lock:
                i = next(queue, None)
            if i is None:
                return
            request = requests[i]
            started = time.perf_counter()
            cut = None
            try:
                status, _, body = post(url, request.text)
                cut = cut_by_limit(status, body)
                problem = check(body, request.rows) if status == 200 else \
                    f"HTTP {status}: {' '.join(body.decode('utf-8', 'replace').split())[:200]}"
            except OSError as exc:
                problem = f"no answer: {exc}"
            outcome.latencies[i] = time.perf_counter() - started
            with lock:
                if cut:
                    outcome.cut.append(f"{request.name}: {cut}")
                elif problem:
                    outcome.errors.append(f"{request.name} {request.params}: {problem}")
                else:
                    outcome.rows += len(json.loads(body)["results"]["bindings"])

    threads = [threading.Thread(target=client, name=f"client-{n}") for n in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    outcome.seconds = time.perf_counter() - started
    return outcome


class Served:
    """`adminkg serve --data DIR --port 0 [options]` running in a child process (*data* ``None``:
    no --data, as with --writable for an empty store): its query URL."""

    def __init__(self, data: Path | None, *options: str):
        where = ["--data", str(data)] if data is not None else []
        self.process = subprocess.Popen([str(BIN / "adminkg"), "serve", *where, "--port", "0", *options],
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        first = self.process.stdout.readline()
        found = re.search(r"(http://\S+/query)", first)
        if not found:
            self.process.kill()
            raise RuntimeError(f"adminkg serve did not start: {first}{self.process.stderr.read()}")
        self.url = found.group(1)
        lines = [self.process.stdout.readline() for _ in range(2)]  # the limits and the hint …
        while not lines[-1].startswith("try:"):  # … after the write URLs of a writable server
            lines.append(self.process.stdout.readline())

    def stop(self) -> int:
        """Stop it as Ctrl-C does; its exit code."""
        self.process.terminate()
        try:
            return self.process.wait(30)
        finally:
            self.process.stdout.close()
            self.process.stderr.close()

    def __enter__(self) -> Served:
        return self

    def __exit__(self, *exc) -> None:
        if self.process.poll() is None:
            self.stop()


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def _embedded(store, requests: list[Request]) -> float:
    """Seconds to evaluate *requests* one after the other on *store* and serialise each answer as
    the server does (SPARQL JSON)."""
    started = time.perf_counter()
    for request in requests:
        store.query(request.text, use_default_graph_as_union=True).serialize(format=ox.QueryResultsFormat.JSON)
    return time.perf_counter() - started


def measure(data_dir: Path | str = paths.DATA_TTL_DIR, clients: int = 50, queries: int = 2000,
            seed: int = 0, baseline: bool = True, count_timeout: float | None = None) -> dict:
    """Serve *data_dir* (a build folder, or Turtle files loaded into a store first, as `adminkg
    serve` does) and send it the load; the numbers. *baseline*: also time the same queries one
    after the other embedded (pyoxigraph) on the same on-disk store and on an in-memory one.
    *count_timeout*: seconds to count the rows of each text embedded (see :func:`workload`)."""
    data_dir = Path(data_dir)
    with tempfile.TemporaryDirectory(prefix="adminkg-serve-load-") as tmp:
        served_dir = data_dir
        if not (data_dir / "store").is_dir():
            served_dir = Path(tmp)
            build_store(served_dir / "store", with_reference(turtle_files(data_dir)))
        store = ox.Store.read_only(str(served_dir / "store"))
        requests = workload(store, queries, seed, count_timeout)
        on_disk = in_memory = None
        if baseline:
            on_disk = _embedded(store, requests)
            memory = ox.Store()
            memory.bulk_extend(store.quads_for_pattern(None, None, None, None))
            in_memory = _embedded(memory, requests)
            del memory
        del store
        with Served(served_dir) as served:
            post(served.url, "ASK {}")  # the server is up
            outcome = load(served.url, requests, clients)
    lat = outcome.latencies
    n = len(requests)
    result = {
        "data": str(data_dir), "clients": clients, "queries": n, "distinct texts": len({r.text for r in requests}),
        "rows": outcome.rows, "seconds": outcome.seconds, "queries/s": n / outcome.seconds,
        "p50 ms": 1000 * _percentile(lat, 50), "p99 ms": 1000 * _percentile(lat, 99), "max ms": 1000 * max(lat),
        "errors": len(outcome.errors), "error examples": outcome.errors[:5],
        "cut": len(outcome.cut), "cut by": dict(Counter(outcome.cut).most_common()),
        "unchecked": sum(r.rows is None for r in requests),
    }
    if baseline:
        result |= {"embedded queries/s": n / on_disk, "served/embedded": on_disk / outcome.seconds,
                   "embedded in memory queries/s": n / in_memory}
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="\n".join(__doc__.splitlines()[2:]))
    ap.add_argument("--data", type=Path, default=paths.DATA_TTL_DIR, help="a build folder or Turtle files "
                    "(default data/ttl)")
    ap.add_argument("--clients", type=int, default=50, help="concurrent client threads (default 50)")
    ap.add_argument("--queries", type=int, default=2000, help="queries sent in all (default 2000)")
    ap.add_argument("--seed", type=int, default=0, help="seed of the workload (default 0)")
    args = ap.parse_args()
    result = measure(args.data, args.clients, args.queries, args.seed)
    print(f"adminkg serve --data {result['data']}: {result['clients']} clients, {result['queries']} library "
          f"queries ({result['distinct texts']} distinct texts, {result['rows']:,} rows)")
    print(f"  {result['seconds']:.1f} s, {result['queries/s']:,.0f} queries/s, latency p50 {result['p50 ms']:.0f} ms, "
          f"p99 {result['p99 ms']:.0f} ms, max {result['max ms']:.0f} ms, errors {result['errors']}, "
          f"cut by a limit {result['cut']}")
    for example in result["error examples"]:
        print(f"  error: {example}")
    for what, count in result["cut by"].items():
        print(f"  cut by a limit ({count}): {what}")
    print(f"  baseline, embedded one after the other (pyoxigraph, the same on-disk store, JSON answers): "
          f"{result['embedded queries/s']:,.0f} queries/s; served/embedded throughput {result['served/embedded']:.2f}")
    print(f"  the same in an in-memory store: {result['embedded in memory queries/s']:,.0f} queries/s")


if __name__ == "__main__":
    main()
