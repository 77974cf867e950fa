"""The HTTP front of ``adminkg serve --site``: an exported site with content negotiation, and the
SPARQL endpoint at ``/sparql`` (read-only, proxied to the ``oxigraph`` server).

- ``/id/KIND/REF`` (a thing), ``/vocab/…`` and ``/ontology`` answer ``303 See Other`` to the
  document ``/doc/…`` with ``Vary: Accept`` (W3C "Cool URIs for the Semantic Web");
- ``/doc/KIND/REF`` answers the representation the ``Accept`` header prefers (HTML, Turtle,
  JSON-LD, N-Triples), with ``Content-Location`` and ``Vary: Accept``; 406 when none is acceptable;
- ``/doc/KIND/REF.ttl`` (a suffix) answers that representation;
- other paths are the site's files; anything else is 404;
- ``/sparql`` forwards SPARQL queries (GET, POST) to the server through the gateway's limits
  (:mod:`adminkg.gateway`: time, answer size, a fixed pool of workers); without a query it answers
  the server's SPARQL 1.1 Service Description with the dataset's VoID and DCAT descriptions linked.

The rules are those of ``site/lod.toml``, as in the nginx and Apache snippets ``export`` writes.
"""
from __future__ import annotations

import posixpath
import threading
import urllib.parse
from pathlib import Path

from .gateway import Backend, GatewayHandler, Limits, PooledHTTPServer, exchange
from .lod import Iris, format_by_suffix, formats, negotiate

STATIC_TYPES = {".html": "text/html", ".css": "text/css", ".js": "text/javascript", ".svg": "image/svg+xml",
                ".json": "application/json", ".gz": "application/gzip", ".conf": "text/plain",
                ".txt": "text/plain"}


class Front(PooledHTTPServer):
    def __init__(self, address, site: Path, backend: Backend, limits: Limits, iris: Iris):
        self.site = Path(site).resolve()
        self.iris = iris
        self.dataset = _dataset_of(self.site)
        super().__init__(address, Handler, backend, limits)


def _dataset_of(site: Path) -> str | None:
    """The IRI of the dataset the site's ``void.ttl`` describes (``None`` without one)."""
    from rdflib import Graph
    from rdflib.namespace import RDF

    from .namespaces import VOID

    try:
        graph = Graph().parse(site / "void.ttl", format="turtle")
    except Exception:  # noqa: BLE001 - a site without a readable description still serves its pages
        return None
    return next((str(s) for s in sorted(graph.subjects(RDF.type, VOID.Dataset))
                 if (s, VOID.sparqlEndpoint, None) in graph), None)


class Handler(GatewayHandler):
    server: Front

    def _file(self, rel: str) -> Path | None:
        """The site's file at *rel*, if it is one and inside the site."""
        path = (self.server.site / rel).resolve()
        if path.is_file() and path.is_relative_to(self.server.site):
            return path
        return None

    def do_HEAD(self):  # noqa: N802 - the stdlib's name
        self.do_GET(head=True)

    def do_GET(self, head: bool = False):  # noqa: N802
        url = urllib.parse.urlsplit(self.path)
        path = urllib.parse.unquote(url.path)
        if path.rstrip("/") == "/sparql":
            return self._sparql(url.query, head=head)
        rel = posixpath.normpath(path.lstrip("/")) if path.strip("/") else "index.html"
        if rel.startswith(".."):
            return self._error(404, "no such resource", head)
        thing = self.server.iris.thing_of_path(rel)
        if thing is not None:
            doc, _iri = thing
            if not any(self._file(f"{doc}.{f.suffix}") for f in formats().values()):
                return self._error(404, f"no resource {path}", head, {"Vary": "Accept"})
            return self._send(303, b"", None, {"Location": "/" + doc, "Vary": "Accept"}, head)
        if rel.startswith(self.server.iris.doc_segment + "/") or rel == self.server.iris.doc_segment:
            return self._document(rel, head)
        if rel.endswith("/"):
            rel += "index.html"
        file = self._file(rel) or self._file(posixpath.join(rel, "index.html"))
        if file is None:
            return self._error(404, f"no such file {path}", head)
        kind = STATIC_TYPES.get(file.suffix)
        fmt = format_by_suffix(file.suffix.lstrip("."))
        media = fmt.media if fmt else kind or "application/octet-stream"
        charset = "; charset=utf-8" if media.startswith("text/") or media.endswith(("json", "+xml")) else ""
        self._send(200, file.read_bytes(), media + charset, None, head)

    def _document(self, rel: str, head: bool) -> None:
        stem, dot, suffix = rel.rpartition(".")
        fmt = format_by_suffix(suffix) if dot and "/" not in suffix else None
        if fmt is not None:  # a representation named by its suffix
            file = self._file(rel)
            if file is None:
                return self._error(404, f"no document /{rel}", head)
            return self._send(200, file.read_bytes(), fmt.media + "; charset=utf-8", None, head)
        offered = [f for f in formats().values() if self._file(f"{rel}.{f.suffix}")]
        if not offered:
            return self._error(404, f"no document /{rel}", head, {"Vary": "Accept"})
        chosen = negotiate(self.headers.get("Accept"), offered)
        if chosen is None:
            media = ", ".join(f.media for f in offered)
            return self._error(406, f"available: {media}", head, {"Vary": "Accept"})
        body = self._file(f"{rel}.{chosen.suffix}").read_bytes()
        self._send(200, body, chosen.media + "; charset=utf-8",
                   {"Vary": "Accept", "Content-Location": f"/{rel}.{chosen.suffix}"}, head)

    # -- SPARQL ---------------------------------------------------------------------------------
    def do_POST(self):  # noqa: N802
        url = urllib.parse.urlsplit(self.path)
        if url.path.rstrip("/") != "/sparql":
            return self._error(405, "only /sparql accepts POST")
        length = self._length()
        if length is None:
            return
        body = self.rfile.read(length) if length else b""
        kind = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if kind == "application/sparql-update" or (
                kind == "application/x-www-form-urlencoded" and "update" in urllib.parse.parse_qs(body.decode(
                    "utf-8", "replace"))):
            return self._error(403, "the endpoint is read-only")
        self.forward("POST", "/query", body)

    def _sparql(self, query: str, head: bool) -> None:
        params = urllib.parse.parse_qs(query)
        if "update" in params:
            return self._error(403, "the endpoint is read-only", head)
        if "query" in params:
            return self.forward("GET", f"/query?{query}", head=head)
        self._service_description(head)

    def _service_description(self, head: bool) -> None:
        from rdflib import Graph

        from .describe import service_description_links

        answer = exchange(self.server.backend, self.server.limits, "GET", "/query", {"Accept": "text/turtle"})
        if answer.status != 200:
            return self._answer(answer, head)
        text = answer.body
        host = self.headers.get("Host") or f"{self.server.server_address[0]}:{self.server.server_address[1]}"
        endpoint = f"http://{host}/sparql"
        graph = Graph().parse(data=text, format="turtle", publicID=endpoint)
        root = f"http://{host}/"
        service_description_links(graph, endpoint, self.server.dataset, [root + "void.ttl", root + "dcat.ttl"])
        offered = [f for f in formats().values() if f.name in ("turtle", "jsonld", "ntriples", "rdfxml")]
        chosen = negotiate(self.headers.get("Accept"), offered) or offered[0]
        names = {"turtle": "turtle", "jsonld": "json-ld", "ntriples": "nt", "rdfxml": "xml"}
        body = graph.serialize(format=names[chosen.name]).encode("utf-8")
        self._send(200, body, chosen.media + "; charset=utf-8", {"Vary": "Accept"}, head)


def start_front(site: Path, backend: Backend, limits: Limits, *, host: str, port: int,
                base: str | None = None) -> Front:
    """Serve *site* on *host*:*port* in a thread, forwarding ``/sparql`` to *backend*'s ``/query``
    within *limits*."""
    front = Front((host, port), site, backend, limits, Iris(base))
    threading.Thread(target=front.serve_forever, name="adminkg-front", daemon=True).start()
    return front
