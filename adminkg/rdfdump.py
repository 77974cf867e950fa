"""Deterministic RDF dumps: the same triples give the same bytes, in every format.

Triples are sorted and blank nodes get canonical labels (``rdflib.compare``), then written by
Oxigraph's serialisers (Turtle, N-Triples, RDF/XML) or by :func:`jsonld` (compact JSON-LD with
the published ``@context`` inline). :func:`gzipped` compresses with no name and no time stamp in
the header, so a gzipped dump is as reproducible as the dump.
"""
from __future__ import annotations

import gzip
import io
import json
from collections.abc import Iterable

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, XSD

from .graphio import to_oxigraph
from .namespaces import PREFIXES

Triple = tuple  # (subject, predicate, object) of rdflib terms

WRITERS = ("turtle", "ntriples", "rdfxml", "jsonld")


def prefixes_for(thing_base: str, kinds: Iterable[str]) -> dict[str, str]:
    """The prefixes of every dump: the vocabularies' (``akg:``, ``skos:`` …) and one per kind of
    resource under *thing_base* (``case:`` …; ``orgx:`` where the kind's name is a prefix already)."""
    out = {p: str(ns) for p, ns in sorted(PREFIXES.items())}
    for kind in kinds:
        out[kind if kind not in PREFIXES else f"{kind}x"] = f"{thing_base}{kind}/"
    return out


def used_prefixes(triples: Iterable[Triple], prefixes: dict[str, str]) -> dict[str, str]:
    """The entries of *prefixes* that some IRI of *triples* starts with (a small page needs few)."""
    iris = {str(t) for triple in triples for t in triple if isinstance(t, URIRef)}
    iris |= {str(t.datatype) for triple in triples for t in triple if isinstance(t, Literal) and t.datatype}
    return {p: ns for p, ns in prefixes.items() if any(i.startswith(ns) for i in iris)}


def _sort_key(triple: Triple):
    return tuple((0 if isinstance(t, URIRef) else 1 if isinstance(t, BNode) else 2, str(t),
                  getattr(t, "language", None) or "", str(getattr(t, "datatype", None) or "")) for t in triple)


def canonical(triples: Iterable[Triple]) -> list[Triple]:
    """*triples* sorted, with blank nodes relabelled canonically (the same graph gives the same
    labels, whatever labels the parser chose)."""
    triples = set(triples)
    with_bnodes = [t for t in triples if isinstance(t[0], BNode) or isinstance(t[2], BNode)]
    if with_bnodes:
        triples.difference_update(with_bnodes)
        triples.update(_tree_labels(with_bnodes) or _rdflib_canonical(with_bnodes))
    return sorted(triples, key=_sort_key)


def _rdflib_canonical(triples: list[Triple]) -> list[Triple]:
    from rdflib import Graph
    from rdflib.compare import to_canonical_graph

    scratch = Graph()
    for t in triples:
        scratch.add(t)
    return list(to_canonical_graph(scratch))


def _tree_labels(triples: list[Triple]) -> list[Triple] | None:
    """Canonical labels for blank nodes that form trees (each referenced once, as SHACL property
    shapes, OWL restrictions and RDF lists are): a node's label is a hash of the IRI or path above
    it and of its whole subtree, so it does not depend on the parser's labels. ``None`` when the
    blank nodes are no forest (a node referenced twice, a cycle): rdflib's general algorithm then."""
    import hashlib

    out_edges: dict = {}
    parent: dict = {}
    for s, p, o in triples:
        if isinstance(s, BNode):
            out_edges.setdefault(s, []).append((p, o))
        if isinstance(o, BNode):
            if o in parent:
                return None
            parent[o] = (s, p)
    signature: dict = {}

    def sign(node, depth=0) -> str:
        if depth > 1000 or node in signature and signature[node] is None:
            raise RecursionError
        if node not in signature:
            signature[node] = None
            parts = sorted(f"{p.n3()} {sign(o, depth + 1) if isinstance(o, BNode) else o.n3()}"
                           for p, o in out_edges.get(node, []))
            signature[node] = "[" + " ; ".join(parts) + "]"
        return signature[node]

    try:
        roots = [b for b in set(out_edges) | set(parent) if not isinstance(parent.get(b, (None,))[0], BNode)]
        for b in set(out_edges) | set(parent):
            sign(b)
    except RecursionError:
        return None
    if any(b not in signature for b in parent):
        return None
    labels: dict = {}
    seen: dict = {}

    def label(node, prefix: str) -> None:
        key = hashlib.sha1(f"{prefix}|{signature[node]}".encode()).hexdigest()[:16]
        n = seen.get(key, 0)
        seen[key] = n + 1
        labels[node] = BNode(f"b{key}{n or ''}")
        for p, o in sorted(out_edges.get(node, []), key=lambda po: (po[0].n3(), signature.get(po[1], ""))):
            if isinstance(o, BNode):
                label(o, f"{labels[node]}|{p.n3()}")

    for root in sorted(roots, key=lambda b: (parent[b][0].n3() if b in parent else "", parent[b][1].n3()
                                             if b in parent else "", signature[b])):
        where = f"{parent[root][0].n3()}|{parent[root][1].n3()}" if root in parent else ""
        label(root, where)
    return [(labels.get(s, s), p, labels.get(o, o)) for s, p, o in triples]


def serialize(triples: list[Triple], fmt: str, prefixes: dict[str, str], *, header: str = "") -> bytes:
    """*triples* (in the order given: see :func:`canonical`) as *fmt* (one of :data:`WRITERS`).
    *header* becomes comment lines at the top of a Turtle file."""
    if fmt == "jsonld":
        return jsonld(triples, prefixes)
    import pyoxigraph

    formats = {"turtle": pyoxigraph.RdfFormat.TURTLE, "ntriples": pyoxigraph.RdfFormat.N_TRIPLES,
               "rdfxml": pyoxigraph.RdfFormat.RDF_XML}
    if fmt not in formats:
        raise ValueError(f"unknown RDF format {fmt!r} (known: {', '.join(WRITERS)})")
    ox = (pyoxigraph.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in triples)
    body = pyoxigraph.serialize(ox,
                                format=formats[fmt], prefixes=prefixes if fmt != "ntriples" else None)
    if fmt == "turtle" and header:
        text = "".join(f"# {line}\n" if line else "#\n" for line in header.splitlines()) + "\n"
        return text.encode("utf-8") + body
    return body


def context(prefixes: dict[str, str]) -> dict:
    """The JSON-LD ``@context`` of the dumps: the prefixes, nothing else (every value is written
    as an explicit ``@id`` / ``@value`` object, so no term needs a type coercion)."""
    return dict(sorted(prefixes.items()))


def _compact(iri: str, prefixes: list[tuple[str, str]]) -> str:
    for prefix, ns in prefixes:
        if iri.startswith(ns) and len(iri) > len(ns) and not iri[len(ns):].startswith("//"):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def node_objects(triples: list[Triple], prefixes: dict[str, str]) -> list[dict]:
    """*triples* as JSON-LD node objects (one per subject, in order), IRIs compacted with *prefixes*."""
    longest = sorted(prefixes.items(), key=lambda kv: -len(kv[1]))

    def ref(term) -> str:
        return f"_:{term}" if isinstance(term, BNode) else _compact(str(term), longest)

    nodes: dict = {}
    for s, p, o in triples:
        node = nodes.setdefault(s, {"@id": ref(s)})
        if p == RDF.type and not isinstance(o, Literal):
            node.setdefault("@type", []).append(ref(o))
            continue
        if isinstance(o, Literal):
            value: dict = {"@value": str(o)}
            if o.language:
                value["@language"] = o.language
            elif o.datatype is not None and o.datatype != XSD.string:
                value["@type"] = ref(o.datatype)
        else:
            value = {"@id": ref(o)}
        node.setdefault(ref(p), []).append(value)
    return list(nodes.values())


def jsonld(triples: list[Triple], prefixes: dict[str, str]) -> bytes:
    """Compact JSON-LD: ``{"@context": {…prefixes}, "@graph": [node objects]}``, one node a line."""
    lines = [json.dumps(n, ensure_ascii=False, separators=(",", ":")) for n in node_objects(triples, prefixes)]
    head = json.dumps({"@context": context(prefixes)}, ensure_ascii=False, indent=1)[:-2]
    return (head + ',\n "@graph": [\n' + ",\n".join(lines) + "\n]}\n").encode("utf-8")


def gzipped(data: bytes) -> bytes:
    """*data* gzipped with no file name and time stamp 0 in the header: reproducible bytes."""
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as gz:
        gz.write(data)
    return buf.getvalue()
