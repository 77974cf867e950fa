"""Releases: frozen, dated, checksummed copies of the graph, and what changed between two of them.

``adminkg release VERSION`` copies the graph's Turtle (default ``data/ttl``) with the ontology and
vocabularies into ``releases/VERSION/``, writes what changed since the previous release there
(``CHANGES.txt`` and ``changeset.ru``), and exports the frozen graph as linked open data into
``releases/VERSION/lod/`` (:func:`adminkg.export.export` without the site: the dumps in four
formats, ``void.ttl`` and ``dcat.ttl``). That ``dcat.ttl`` is the release's one DCAT description:
the ``dcat:Dataset`` of the version (``owl:versionIRI``, ``dcat:version``, ``dcterms:issued``,
``dcat:previousVersion``, in its ``dcat:DatasetSeries``) with one ``dcat:Distribution`` per file of
the release — the frozen Turtle, the changes and the dumps — each with its ``dcat:byteSize`` and
SHA-256 ``spdx:checksum``, checked against ``ontology/description-shapes.ttl``. ``SHA256SUMS``
lists every file's checksum again (``sha256sum -c`` reads it). A release is written beside its
place and renamed into it, its files are made read-only, and a version that exists is never
written again.

``adminkg diff A B`` compares two releases (or any folders of Turtle): the cases, agencies and
awards added, removed and changed (the facts compared are those of ``queries/release/
snapshot.rq``), as text, and every triple removed and added as a changeset a consumer can apply:
SPARQL 1.1 Update (``.ru``) or RDF (``.ttl``: a ``cs:ChangeSet`` of the Talis changeset
vocabulary, with reified ``rdf:Statement`` s as ``cs:removal`` and ``cs:addition``).
"""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import stat
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

from . import paths
from .errors import InputError
from .graphio import atomic_write_bytes, serialize_turtle
from .namespaces import DEFAULT_BASE, Minter, bind_prefixes

SUMS = "SHA256SUMS"
CHANGES = "CHANGES.txt"
CHANGESET = "changeset.ru"
SNAPSHOT = paths.QUERIES_DIR / "release" / "snapshot.rq"
CS = Namespace("http://purl.org/vocab/changeset/schema#")
_VERSION = re.compile(r"[0-9A-Za-z][0-9A-Za-z._+-]{0,63}")
KINDS = {"case": "cases", "agency": "agencies", "award": "awards"}


@dataclass
class Release:
    version: str
    path: Path
    issued: str
    files: dict[str, tuple[str, int]]        # relative path → (SHA-256, bytes)
    previous: str | None = None
    changes: Diff | None = None
    dcat: Path | None = None                 # the release's DCAT description (in its export)


def _sha256(path: Path) -> str:
    """The SHA-256 of a file, read in pieces."""
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def dcat_file(folder: Path | str) -> Path:
    """Where a release's DCAT description is (``[release] export`` of ``site/lod.toml``)."""
    from .lod import config

    return Path(folder) / config()["release"]["export"] / "dcat.ttl"


def releases(out: Path | str) -> list[tuple[str, str]]:
    """(issued date, version) of the releases in *out*, oldest first."""
    found = []
    for folder in sorted(p for p in Path(out).iterdir() if p.is_dir() and not p.name.startswith(".")):
        if not dcat_file(folder).is_file():
            continue
        g = Graph().parse(dcat_file(folder))
        issued = next(iter(g.objects(None, DCTERMS.issued)), None)
        found.append((str(issued or ""), folder.name))
    return sorted(found)


def release(version: str, *, data: Path | str | None = None, out: Path | str = "releases", day: str | None = None,
            base: str = DEFAULT_BASE) -> Release:
    """Freeze the graph of *data* (default ``data/ttl``) as release *version* under *out*."""
    from .store import turtle_files

    if not _VERSION.fullmatch(version):
        raise InputError(version, "not a version (letters, digits, '.', '-', '_', '+'; at most 64)")
    day = day or date.today().isoformat()
    try:
        date.fromisoformat(day)
    except ValueError:
        raise InputError(day, "not a date (YYYY-MM-DD)") from None
    out = Path(out)
    target = out / version
    if target.exists():
        raise InputError(target, f"release {version} exists: a release is frozen, choose a new version")
    sources = {f.name: f for f in turtle_files(Path(data) if data is not None else paths.DATA_TTL_DIR)}
    sources.update({f"ontology/{f.relative_to(paths.ONTOLOGY_DIR)}": f for f in paths.ontology_files()})
    earlier = releases(out) if out.is_dir() else []
    tmp = out / f".{version}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        files = {}
        for rel, src in sorted(sources.items()):
            (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, tmp / rel)
            files[rel] = (_sha256(tmp / rel), (tmp / rel).stat().st_size)
        result = Release(version, target, day, files, earlier[-1][1] if earlier else None)
        if result.previous:
            result.changes = diff(out / result.previous, tmp, names=(result.previous, version))
            atomic_write_bytes(tmp / CHANGES, format_diff(result.changes).encode("utf-8"))
            atomic_write_bytes(tmp / CHANGESET, changeset_update(result.changes).encode("utf-8"))
            for name in (CHANGES, CHANGESET):
                files[name] = (_sha256(tmp / name), (tmp / name).stat().st_size)
        result.dcat = describe(result, tmp, base)
        sums = "".join(f"{sha}  {rel}\n" for rel, (sha, _size) in sorted(files.items()))
        atomic_write_bytes(tmp / SUMS, sums.encode("utf-8"))
        for f in tmp.rglob("*"):
            if f.is_file():
                f.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
        os.rename(tmp, target)
        result.dcat = target / result.dcat.relative_to(tmp)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise InputError(target, f"cannot write the release: {exc}") from exc
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return result


def describe(r: Release, folder: Path, base: str = DEFAULT_BASE) -> Path:
    """Export the graph frozen in *folder* into its ``lod/`` (dumps and descriptions, no site): its
    DCAT describes release *r* and every file of it, whose checksums it adds to ``r.files``.
    Returns the DCAT file."""
    from .describe import Distribution, Version
    from .export import export
    from .lod import config

    media = config()["release"]["media"]
    own = tuple(Distribution(rel, rel.rsplit(".", 1)[-1], media.get(rel.rsplit(".", 1)[-1], "text/plain"), size, sha,
                             label=rel) for rel, (sha, size) in sorted(r.files.items()))
    lod = folder / config()["release"]["export"]
    export(folder, lod, base=base, site=False, version=Version(r.version, r.issued, r.previous, own))
    for f in sorted(lod.rglob("*")):
        if f.is_file():
            r.files[f.relative_to(folder).as_posix()] = (_sha256(f), f.stat().st_size)
    return dcat_file(folder)


# -- diff -------------------------------------------------------------------------------------------

@dataclass
class Change:
    kind: str                                   # case, agency, award
    entity: str
    status: str                                 # added, removed, changed
    label: str = ""
    before: dict[str, set[str]] = field(default_factory=dict)
    after: dict[str, set[str]] = field(default_factory=dict)


@dataclass
class Diff:
    a: str
    b: str
    changes: list[Change]
    removed: list = field(default_factory=list)   # triples (pyoxigraph) only in A
    added: list = field(default_factory=list)     # triples only in B

    def of(self, kind: str, status: str) -> list[Change]:
        return [c for c in self.changes if c.kind == kind and c.status == status]


def graph_files(folder: Path | str) -> list[Path]:
    """The Turtle files of a release or build folder (or a file): its graph (a release's export,
    in a folder of its own, is not read)."""
    from .store import turtle_files

    return turtle_files(Path(folder))


def _triples(files: list[Path]) -> set:
    import pyoxigraph

    out = set()
    for f in files:
        try:
            for q in pyoxigraph.parse(path=str(f), format=pyoxigraph.RdfFormat.TURTLE):
                out.add(pyoxigraph.Triple(q.subject, q.predicate, q.object))
        except (OSError, SyntaxError, ValueError) as exc:
            raise InputError(f, f"cannot read: {exc}") from exc
    return out


def _snapshot(files: list[Path]) -> dict[tuple[str, str], dict[str, set[str]]]:
    from .query import run
    from .store import memory_store

    facts: dict[tuple[str, str], dict[str, set[str]]] = {}
    results = run(str(SNAPSHOT), store=memory_store(files))
    for b in results.bindings:
        key = (b["kind"]["value"], b["entity"]["value"])
        facts.setdefault(key, {}).setdefault(_short(b["property"]["value"]), set()).add(b["value"]["value"])
    return facts


def _short(iri: str) -> str:
    return re.split(r"[#/]", iri)[-1]


def diff(a: Path | str, b: Path | str, *, names: tuple[str, str] | None = None) -> Diff:
    """What changed from the graph of *a* to that of *b* (folders of Turtle, such as releases);
    *names* say them in the text (default: their paths)."""
    files_a, files_b = graph_files(a), graph_files(b)
    before, after = _snapshot(files_a), _snapshot(files_b)
    changes = []
    for key in sorted(set(before) | set(after)):
        kind, entity = key
        old, new = before.get(key), after.get(key)
        status = "added" if old is None else "removed" if new is None else "changed" if old != new else ""
        if status:
            facts = new or old
            label = re.sub(r"@[a-z-]+$", "", sorted(facts.get("title") or facts.get("prefLabel") or [""])[0])
            changes.append(Change(kind, entity, status, label, old or {}, new or {}))
    ta, tb = _triples(files_a), _triples(files_b)
    a, b = names or (str(a), str(b))
    return Diff(a, b, changes, sorted(ta - tb, key=str), sorted(tb - ta, key=str))


def format_diff(d: Diff) -> str:
    """The diff as text: per kind, the things added (+), removed (-) and changed (~, with each
    property's values before and after)."""
    lines = [f"adminkg diff {d.a} → {d.b}"]
    for kind, plural in KINDS.items():
        counts = {s: len(d.of(kind, s)) for s in ("added", "removed", "changed")}
        lines.append(f"{plural}: {counts['added']} added, {counts['removed']} removed, {counts['changed']} changed")
        for status, mark in (("added", "+"), ("removed", "-"), ("changed", "~")):
            for c in d.of(kind, status):
                lines.append(f"  {mark} {c.entity}" + (f"  {c.label}" if c.label else ""))
                if status == "changed":
                    for prop in sorted(set(c.before) | set(c.after)):
                        old, new = c.before.get(prop, set()), c.after.get(prop, set())
                        if old != new:
                            lines.append(f"      {prop}: {_values(old - new)} → {_values(new - old)}")
    lines.append(f"triples: {len(d.added)} added, {len(d.removed)} removed")
    return "\n".join(lines) + "\n"


def _values(values: set[str]) -> str:
    return ", ".join(_short(v) if v.startswith("http") else v for v in sorted(values)) or "(none)"


def changeset_update(d: Diff) -> str:
    """The triple changes as SPARQL 1.1 Update: applied to A's graph, it gives B's."""
    def block(op: str, triples) -> str:
        body = "".join(f"  {t.subject} {t.predicate} {t.object} .\n" for t in triples)
        return f"{op} DATA {{\n{body}}}"

    return (f"# adminkg diff {d.a} -> {d.b}: {len(d.removed)} triples removed, {len(d.added)} added\n"
            + block("DELETE", d.removed) + " ;\n" + block("INSERT", d.added) + "\n")


def changeset_rdf(d: Diff, base: str = DEFAULT_BASE, *, day: str | None = None) -> bytes:
    """The triple changes as an RDF changeset (Talis changeset vocabulary, reified statements)."""
    from rdflib import BNode

    g = bind_prefixes(Graph(), base)
    g.bind("cs", CS)
    cs = URIRef(Minter(base).dataset("adminkg/changeset/" + hashlib.sha1(f"{d.a}\x1f{d.b}".encode()).hexdigest()[:12]))
    g.add((cs, RDF.type, CS.ChangeSet))
    g.add((cs, CS.createdDate, Literal(day or date.today().isoformat(), datatype=XSD.date)))
    g.add((cs, CS.changeReason, Literal(f"adminkg diff {d.a} {d.b}")))
    for prop, triples in ((CS.removal, d.removed), (CS.addition, d.added)):
        for t in triples:
            st = URIRef(f"{cs}#{prop.split('#')[-1]}-{hashlib.sha1(str(t).encode()).hexdigest()[:16]}")
            g.add((cs, prop, st))
            g.add((st, RDF.type, RDF.Statement))
            for p, term in ((RDF.subject, t.subject), (RDF.predicate, t.predicate), (RDF.object, t.object)):
                g.add((st, p, _rdflib(term, BNode)))
    return serialize_turtle(g, base=base)


def _rdflib(term, bnode):
    import pyoxigraph

    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return bnode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == str(XSD.string):
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def write_changeset(d: Diff, path: Path | str, base: str = DEFAULT_BASE) -> None:
    """Write the changeset: SPARQL Update for ``.ru``, else RDF (Turtle)."""
    path = Path(path)
    data = changeset_update(d).encode("utf-8") if path.suffix == ".ru" else changeset_rdf(d, base)
    atomic_write_bytes(path, data)


__all__ = ["Change", "Diff", "Release", "changeset_rdf", "changeset_update", "describe", "diff", "format_diff",
           "graph_files", "release", "releases", "write_changeset"]
