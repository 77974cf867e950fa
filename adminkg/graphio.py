"""Reading and writing RDF files: clear errors that name the file, and atomic writes."""
from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from rdflib import BNode, Graph, URIRef
from rdflib.util import guess_format

from .errors import InputError
from .namespaces import DEFAULT_BASE, MINTED_KINDS, PREFIXES, Minter, bind_prefixes


def parse_into(graph: Graph, path: Path | str) -> Graph:
    """Parse one RDF file into *graph*; raise :class:`InputError` naming the file on failure."""
    path = Path(path)
    fmt = guess_format(str(path)) or "turtle"
    if not path.is_file():
        raise InputError(path, "no such file")
    try:
        graph.parse(path, format=fmt)
    except UnicodeDecodeError as exc:
        raise InputError(path, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    except Exception as exc:  # rdflib raises several unrelated types for syntax errors
        detail = " ".join(str(exc).split())
        raise InputError(path, f"not valid {fmt}: {detail[:500]}") from exc
    return graph


def load_files(paths: Iterable[Path | str], *, graph: Graph | None = None) -> tuple[Graph, list[InputError]]:
    """Parse every file of *paths* into one graph.

    A file that fails does not stop the others: its :class:`InputError` is returned in the list
    and the graph holds what the other files said.
    """
    graph = bind_prefixes(Graph() if graph is None else graph)
    errors: list[InputError] = []
    for path in paths:
        scratch = Graph()
        try:
            parse_into(scratch, path)
        except InputError as exc:
            errors.append(exc)
            continue
        graph += scratch
    return graph, errors


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def atomic_write_bytes(path: Path | str, data: bytes, *, durable: bool = True) -> None:
    """Write *data* to *path* through a temporary file in the same folder, then rename.

    A reader sees the old file or the new one, never half of one; a failure leaves the old one.
    *durable*: the data reach the disk before the rename (``fsync``, some milliseconds a file); a
    cache whose entries are checked when read may do without (after a crash, an entry may be empty).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600: the file follows the user's umask instead
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def to_oxigraph(term):
    """An rdflib term as the pyoxigraph term of the same value."""
    import pyoxigraph

    if isinstance(term, URIRef):
        return pyoxigraph.NamedNode(str(term))
    if isinstance(term, BNode):
        return pyoxigraph.BlankNode(str(term))
    if term.language:
        return pyoxigraph.Literal(str(term), language=term.language)
    if term.datatype is not None:
        return pyoxigraph.Literal(str(term), datatype=pyoxigraph.NamedNode(str(term.datatype)))
    return pyoxigraph.Literal(str(term))


def _sort_key(triple):
    return tuple((0 if isinstance(t, URIRef) else 1, str(t), getattr(t, "language", None) or "",
                  str(getattr(t, "datatype", None) or "")) for t in triple)


def serialize_turtle(graph: Graph, *, base: str = DEFAULT_BASE, header: str = "") -> bytes:
    """Serialise *graph* as Turtle: triples sorted, so the same triples give the same bytes.

    Uses Oxigraph's serialiser (rdflib's spends minutes computing prefixed names on large graphs).
    """
    import pyoxigraph

    triples = sorted(graph, key=_sort_key)
    ox = (pyoxigraph.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in triples)
    body = pyoxigraph.serialize(ox, format=pyoxigraph.RdfFormat.TURTLE, prefixes=turtle_prefixes(base))
    return turtle_header(header) + body


def turtle_prefixes(base: str = DEFAULT_BASE) -> dict[str, str]:
    """The prefixes of the Turtle we write: the usual ones and one per kind of minted IRI under *base*."""
    minter = Minter(base)
    prefixes = {p: str(ns) for p, ns in sorted(PREFIXES.items())}
    prefixes.update({(kind if kind not in PREFIXES else f"{kind}x"): f"{minter.base}{kind}/" for kind in MINTED_KINDS})
    return prefixes


def turtle_header(header: str) -> bytes:
    """*header* as Turtle comment lines, then a blank line (nothing for no header)."""
    text = "".join(f"# {line}\n" if line else "#\n" for line in header.splitlines()) + ("\n" if header else "")
    return text.encode("utf-8")
