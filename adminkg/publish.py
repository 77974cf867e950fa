"""``adminkg publish``: upload the graph to a remote store and check that it all arrived.

The graph is what the embedded store holds: the ontology and vocabularies, the gazetteer and the
build's Turtle files. It goes in chunks to one named graph, through the SPARQL 1.1 Graph Store
HTTP Protocol (the first chunk ``PUT`` replaces the graph, the others ``POST`` add to it) or,
as a fallback when the server has no Graph Store endpoint at that URL, through SPARQL 1.1 Update
(``DROP SILENT GRAPH``, then ``INSERT DATA``). Triples that share a blank node travel in the
same chunk, since a blank node means nothing outside the request that carries it. Afterwards
the triples in the remote graph are counted and must equal the triples sent.
"""
from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .endpoint import DEFAULT_TIMEOUT, Http, select, with_query
from .errors import EndpointError, InputError
from .namespaces import DEFAULT_BASE
from .queries import sparql_iri

DEFAULT_GRAPH = DEFAULT_BASE + "graph"
DEFAULT_CHUNK = 10_000
PROTOCOLS = ("auto", "gsp", "update")
# Status codes that say "no Graph Store here", so that `auto` tries SPARQL Update instead.
_NOT_GSP = {404, 405, 406, 415, 501}
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


@dataclass
class PublishReport:
    endpoint: str
    graph: str
    protocol: str
    triples: int
    chunks: int
    remote_triples: int | None
    seconds: float

    def summary(self) -> str:
        check = (f"the endpoint holds {self.remote_triples:,} triples in it" if self.remote_triples is not None
                 else "not verified: give --query-endpoint to count the remote graph")
        return (f"published {self.triples:,} triples in {self.chunks} chunk(s) to <{self.graph}> at {self.endpoint} "
                f"({self.protocol}, {self.seconds:.1f} s); {check}")


def collect(data: Path | None = None, files: list[Path] | None = None):
    """An in-memory pyoxigraph store of what to publish: ontology, vocabularies, gazetteer, and the
    Turtle of *data* (a build folder or a file; default ``data/ttl``) or of *files*."""
    from . import paths
    from .store import memory_store, turtle_files, with_reference

    if not files:
        data = Path(data) if data is not None else paths.DATA_TTL_DIR
        files = [data / "cases.ttl"] if (data / "store").is_dir() else turtle_files(data)
    return memory_store(with_reference(files))


def chunks(store, size: int = DEFAULT_CHUNK) -> Iterator[list]:
    """The default graph's triples in lists of about *size*; triples linked by blank nodes stay
    in one list (a list grows past *size* rather than split them)."""
    import pyoxigraph

    parent: dict = {}

    def find(node):
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    free: list = []
    linked: list = []
    for quad in store.quads_for_pattern(None, None, None, pyoxigraph.DefaultGraph()):
        triple = pyoxigraph.Triple(quad.subject, quad.predicate, quad.object)
        blanks = [t for t in (quad.subject, quad.object) if isinstance(t, pyoxigraph.BlankNode)]
        if not blanks:
            free.append(triple)
            continue
        if len(blanks) == 2:
            a, b = find(blanks[0]), find(blanks[1])
            if a != b:
                parent[a] = b
        linked.append((blanks[0], triple))
    groups: dict = {}
    for node, triple in linked:
        groups.setdefault(find(node), []).append(triple)
    batch: list = []
    for group in groups.values():
        batch.extend(group)
        if len(batch) >= size:
            yield batch
            batch = []
    for triple in free:
        batch.append(triple)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def ntriples(triples: list) -> bytes:
    """N-Triples (which is also Turtle) with every non-ASCII character written as ``\\uXXXX``, so
    that no server's guess of the character set can garble Korean text."""
    import pyoxigraph

    text = pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES).decode("utf-8")

    def escape(m: re.Match) -> str:
        code = ord(m.group())
        return f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}"

    return _NON_ASCII.sub(escape, text).encode("ascii")


def publish(endpoint: str, *, data: Path | None = None, files: list[Path] | None = None,
            graph: str = DEFAULT_GRAPH, user: str | None = None, password: str | None = None,
            protocol: str = "auto", chunk_size: int = DEFAULT_CHUNK, query_endpoint: str | None = None,
            graph_param: str = "graph", append: bool = False, timeout: float = DEFAULT_TIMEOUT,
            progress: Callable[[int, int], None] | None = None) -> PublishReport:
    """Upload the graph (see :func:`collect`) to the named *graph* at *endpoint* and verify it.

    *endpoint*: the Graph Store Protocol URL (``protocol='gsp'``), a SPARQL Update URL
    (``'update'``), or either (``'auto'``: Graph Store first, Update when the server says it has
    no Graph Store there). *graph_param*: the query parameter naming the graph (``graph`` in the
    standard; Virtuoso also reads ``graph-uri``). *append*: add to the graph instead of replacing
    it. *query_endpoint*: where to count the triples afterwards (default: a Graph Store ``GET``
    of the graph, or a query to *endpoint* after SPARQL Update). *progress(done, total)* is
    called after each chunk. Raises :class:`EndpointError` when a request fails or the count
    differs.
    """
    if protocol not in PROTOCOLS:
        raise InputError(protocol, f"unknown protocol (known: {', '.join(PROTOCOLS)})")
    graph_term = sparql_iri(graph)  # it goes into SPARQL Update and COUNT text
    start = time.monotonic()
    store = collect(data, files)
    total = len(store)
    http = Http(endpoint, user, password, timeout)
    mode = protocol
    done = sent_chunks = 0
    first = True
    for batch in chunks(store, chunk_size):
        body = ntriples(batch)
        if mode in ("auto", "gsp"):
            url = with_query(endpoint, **{graph_param: graph})
            method = "PUT" if first and not append else "POST"
            try:
                http.request(method, url, body, "text/turtle; charset=utf-8")
                mode = "gsp"
            except EndpointError as exc:
                if mode != "auto" or getattr(exc, "status", None) not in _NOT_GSP:
                    raise
                mode = "update"
        if mode == "update":
            update = b""
            if first and not append:
                update += f"DROP SILENT GRAPH {graph_term} ;\n".encode()
            update += f"INSERT DATA {{ GRAPH {graph_term} {{\n".encode() + body + b"} }\n"
            http.request("POST", endpoint, update, "application/sparql-update; charset=utf-8")
        first = False
        done += len(batch)
        sent_chunks += 1
        if progress:
            progress(done, total)
    remote = count(http, endpoint, graph, mode, query_endpoint, graph_param, timeout)
    if remote is not None and (remote < total if append else remote != total):
        raise EndpointError(f"{endpoint}: sent {total:,} triples to <{graph}> but it holds {remote:,}")
    return PublishReport(endpoint, graph, mode, total, sent_chunks, remote, time.monotonic() - start)


def count(http: Http, endpoint: str, graph: str, mode: str, query_endpoint: str | None, graph_param: str,
          timeout: float) -> int | None:
    """Triples in the remote *graph*: by a SPARQL COUNT on *query_endpoint*, else by reading the
    graph back through the Graph Store Protocol, else by a COUNT on the Update endpoint."""
    text = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {sparql_iri(graph)} {{ ?s ?p ?o }} }}"
    if query_endpoint:
        rows = select(query_endpoint, text, timeout=timeout).rows
        return int(rows[0]["n"])
    if mode == "gsp":
        import pyoxigraph

        _status, body = http.request("GET", with_query(endpoint, **{graph_param: graph}),
                                     accept="application/n-triples, text/turtle;q=0.9")
        try:
            return sum(1 for _ in pyoxigraph.parse(body, format=pyoxigraph.RdfFormat.TURTLE))
        except (SyntaxError, ValueError) as exc:
            raise EndpointError(f"{endpoint}: the graph read back is not Turtle: {exc}") from exc
    try:
        return int(select(endpoint, text, timeout=timeout).rows[0]["n"])
    except (EndpointError, KeyError, IndexError, ValueError):
        return None
