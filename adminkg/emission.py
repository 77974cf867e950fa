"""One document's RDF as a *trace*, and the merge of traces in the order of the files.

The emitter (:class:`adminkg.build.Emitter`) writes a document's triples into a sink. Written into a
:class:`Trace` (in a worker, one document at a time), they keep what the merge needs to give the
graph a one-process build gives:

* the triples written every time (a graph is a set: the same triple from two documents is one);
* *first-wins groups*: triples written only the first time a resource is met (a document's
  description, an organisation's or unit's labels, a case's title and lead agency, a contest's name
  and year), under a guard; a group may hold groups (a contest's organiser), met only when it is;
* *confidences*: an evidence's ``akg:confidence``, of which the highest wins;
* the cases it minted and what each IRI was made from (lead agency, title, place), so the merge can
  tell whether an earlier document told the same case (then the document is emitted again with the
  IRIs of the earlier cases, see :func:`adminkg.build.emit_document`).

Each triple travels as an *entry*: a key (a string that sorts like
:func:`adminkg.graphio.serialize_turtle` sorts triples) and the triple's N-Triples line. The merge
(:class:`Merge`) is set unions, first-wins look-ups and a maximum per evidence, in the order of the
files; its output is the N-Triples of the sorted, distinct entries, which Oxigraph turns into the
Turtle of :func:`adminkg.graphio.serialize_turtle` without building an rdflib graph. Its memory does
not grow with the graph: past a bound, the entries go to sorted run files, merged (``heapq.merge``)
as the output is streamed to its file — an external merge sort.
"""
from __future__ import annotations

import bisect
import functools
import heapq
import itertools
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO

import pyoxigraph
from pyoxigraph import NamedNode
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from .graphio import to_oxigraph
from .namespaces import AKG
from .outdir import write_error

FIELD, TERM = "\x00\x01", "\x00\x02"  # separators that sort below every character of a key
CASE_GUARD = "case\x1f"
CONFIDENCE = AKG.confidence
# Entries (with confidences) a merge holds in memory before it writes them, sorted, to a run file:
# some 650 bytes each (a key and an N-Triples line, Korean text in both), so about 65 MB. Smaller
# runs cost little more (the output merges them in blocks, see _merge_blocks), larger ones only memory
SPILL_ENTRIES = 100_000
FAN_IN = 64  # runs the output merges at once (more are merged into fewer first)
CHUNK_LINES = 10_000  # N-Triples lines handed to Oxigraph at a time
BLOCK_BYTES = 1 << 18  # bytes read from each run at a time while runs are merged
# In a key, the characters U+0000..U+000A (U+000A ends an entry's lines) are written as U+0001 and
# one more character, in their order: a key holds no U+0000 but its separators and no line break.
_LOW = re.compile("[\x00-\x0a]")
_ESCAPE = str.maketrans({c: "\x01" + chr(0x20 + c) for c in range(0x0B)})


def _escaped(text: str) -> str:
    return text.translate(_ESCAPE) if _LOW.search(text) else text


def _term_key(term) -> str:
    """The key of :func:`adminkg.graphio._sort_key` for one term, as a string that sorts the same."""
    if isinstance(term, URIRef):
        return f"0{FIELD}{_escaped(str(term))}{FIELD}{FIELD}"
    language = getattr(term, "language", None) or ""
    datatype = getattr(term, "datatype", None) or ""
    return f"1{FIELD}{_escaped(str(term))}{FIELD}{language}{FIELD}{_escaped(str(datatype))}"


def term(t) -> tuple[str, str]:
    """(sort key, N-Triples) of one term: Oxigraph's N-Triples, written here for the plain cases."""
    cls = type(t)
    if cls is URIRef:  # most terms: written without rdflib's look-ups (the IRI checked by Oxigraph still)
        text = str(t)
        return f"0{FIELD}{_escaped(text)}{FIELD}{FIELD}", str(NamedNode(text))
    if cls is Literal:
        text, language, datatype = str(t), t.language or "", t.datatype or ""
        suffix = _SUFFIX.get((language, datatype)) or _suffix(language, datatype)
        if suffix[0] and not _SPECIAL.search(text):  # no character N-Triples escapes: the text as it is
            return f"1{FIELD}{text}{FIELD}{language}{FIELD}{_escaped(str(datatype))}", f'"{text}"{suffix[1]}'
    return _term_key(t), str(to_oxigraph(t))


_SPECIAL = re.compile(r'[\x00-\x1f\x7f"\\]')  # the characters Oxigraph writes escaped in a literal's text
_SUFFIX: dict[tuple[str, str], tuple[bool, str]] = {}  # (language, datatype) → (known, what follows the text)


def _suffix(language: str, datatype: str) -> tuple[bool, str]:
    """What Oxigraph writes after a literal's quoted text for *language* or *datatype* (``@ko``,
    ``^^<…#decimal>``, nothing for ``xsd:string``): asked of Oxigraph once for each. (False, "")
    when Oxigraph refuses them: then each literal goes to Oxigraph, which says why."""
    try:
        sample = pyoxigraph.Literal("a", language=language) if language else \
            pyoxigraph.Literal("a", datatype=NamedNode(str(datatype))) if datatype else pyoxigraph.Literal("a")
    except ValueError:
        done = (False, "")
    else:
        written = str(sample)
        done = (written.startswith('"a"'), written[3:])
    _SUFFIX[(language, datatype)] = done
    return done


def entry(triple, terms: dict | None = None) -> tuple[str, str]:
    """*triple* (rdflib terms) as an entry: (its sort key, its N-Triples line). *terms* keeps the
    IRIs already written (an IRI is written the same wherever it stands)."""
    if terms is None:
        terms = {}
    s, p, o = triple
    s = terms.get(s) or _remember(terms, s)
    p = terms.get(p) or _remember(terms, p)
    o = (terms.get(o) or _remember(terms, o)) if type(o) is URIRef else term(o)
    return f"{s[0]}{TERM}{p[0]}{TERM}{o[0]}", f"{s[1]} {p[1]} {o[1]} ."


def _remember(terms: dict, t) -> tuple[str, str]:
    done = terms[t] = term(t)
    return done


def _lines(triples, terms: dict) -> str:
    """Entries of *triples* as one string of lines, key then N-Triples, sorted by key (distinct
    triples have distinct keys, so the keys alone sort them)."""
    entries = dict(entry(t, terms) for t in triples)
    return "\n".join(f"{key}\n{entries[key]}" for key in sorted(entries))


class GraphSink:
    """The emitter writes into an rdflib graph (what curation edits afterwards)."""

    def __init__(self, graph: Graph):
        self.g = graph

    def add(self, triple) -> None:
        self.g.add(triple)

    @contextmanager
    def first(self, guard: str, pattern):
        """Yields whether *pattern* is new to the graph: the group's triples are written only then."""
        yield pattern not in self.g

    def confidence(self, ev: URIRef, value: Decimal) -> None:
        old = self.g.value(ev, CONFIDENCE)
        if old is not None and old.toPython() >= value:
            return
        self.g.set((ev, CONFIDENCE, Literal(value, datatype=XSD.decimal)))


class Trace:
    """One document's emission as the merge needs it (see the module's docstring)."""

    def __init__(self):
        self.triples: set = set()
        self.groups: list = []       # [guard, triples, groups within]
        self._open: list = []
        self.confidences: dict[URIRef, Decimal] = {}
        self.cases: list[tuple[str, str, str, int, str]] = []  # agency, title, document node, place, IRI

    def add(self, triple) -> None:
        (self._open[-1][1] if self._open else self.triples).add(triple)

    @contextmanager
    def first(self, guard: str, pattern):
        """Always yields True: whether the group is new is for the merge to say."""
        group = [guard, set(), []]
        self._open.append(group)
        try:
            yield True
        finally:
            self._open.pop()
            (self._open[-1][2] if self._open else self.groups).append(group)

    def confidence(self, ev: URIRef, value: Decimal) -> None:
        old = self.confidences.get(ev)
        if old is None or value > old:
            self.confidences[ev] = value

    def case(self, agency: URIRef, title: str, doc_node: URIRef, index: int, iri: URIRef) -> None:
        self.cases.append((str(agency), title, str(doc_node), index, str(iri)))

    def finish(self, **counts) -> dict:
        """The trace as plain data to send between processes: each set of triples as one string of
        lines, key then N-Triples, sorted by key (one string is cheap to send; sorted runs are cheap
        to merge)."""
        terms: dict = {}

        def groups(items):
            return [(guard, _lines(triples, terms), groups(inner)) for guard, triples, inner in items]

        return {"triples": _lines(self.triples, terms), "groups": groups(self.groups),
                "confidences": {str(ev): (str(v), *entry((ev, CONFIDENCE, _decimal(str(v), v)), terms))
                                for ev, v in self.confidences.items()},
                "cases": self.cases, **counts}


@functools.lru_cache(maxsize=4096)
def _decimal(text: str, value: Decimal) -> Literal:
    """The ``xsd:decimal`` literal of *value* (written *text*): a confidence, of which there are 1,001."""
    return Literal(value, datatype=XSD.decimal)


class Merge:
    """Traces merged in the order they are given: the graph of emitting their documents in that order.

    The entries are kept in memory up to *spill* of them (with the confidences; by default
    :data:`SPILL_ENTRIES`); then they are sorted and written to a *run* file in *folder* (made on the
    first spill, removed by :meth:`close`; without one, a temporary folder), so the merge's memory does
    not grow with the graph. The runs and what is left in memory are merged as the output is read
    (:meth:`blocks`, :meth:`write_turtle`): equal entries are written once, and of an evidence's
    confidences the highest. The first-wins guards (:attr:`seen`, a few per document) stay in memory.
    With *fresh*, the lines of the triples new to the merge are kept for :meth:`take_fresh` too (a
    store loaded while the build goes on). With *reread* (the output is read more than once: a build
    that validates reads it for the cross-document shapes, then writes the Turtle), the first complete
    reading writes the merged N-Triples to one file beside the runs, which the later ones read
    instead of merging the runs again.
    """

    def __init__(self, *, fresh: bool = False, spill: int | None = None, folder: Path | str | None = None,
                 reread: bool = False):
        spill = SPILL_ENTRIES if spill is None else spill
        if spill < 1:
            raise ValueError(f"spill: {spill} entries: give at least one")
        self.entries: dict[str, str] = {}  # key → line, since the last spill
        self.seen: set[str] = set()
        # evidence → (value, key, line), since the last spill
        self.confidences: dict[str, tuple[Decimal, str, str]] = {}
        self.cases = 0  # cases met first
        self.fresh: list[str] | None = [] if fresh else None  # strings of N-Triples lines
        self.fresh_count = 0
        self.spill = spill
        self.folder = Path(folder) if folder is not None else None
        if self.folder is not None:  # the merge's own: a killed build's runs go now
            shutil.rmtree(self.folder, ignore_errors=True)
        self._made: Path | None = None  # the folder of the runs, once made
        self.runs: list[Path] = []  # files of sorted entries: key, line
        self.confidence_runs: list[Path] = []  # files of sorted confidences: key, evidence, value, line
        self.spills = 0  # how many times the entries were written out
        self._names = itertools.count()
        self.reread = reread
        self._merged: Path | None = None  # the merged N-Triples, once read whole (with *reread*)

    def __enter__(self) -> Merge:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def add(self, trace: dict) -> None:
        self._forget_merged()
        self._take(trace["triples"])
        self._groups(trace["groups"])
        for ev, (value, key, line) in trace["confidences"].items():
            value = Decimal(value)
            old = self.confidences.get(ev)
            if old is None or value > old[0]:
                self.confidences[ev] = (value, key, line)
        if len(self.entries) + len(self.confidences) >= self.spill:
            self._spill()

    def _take(self, text: str) -> None:
        if not text:
            return
        parts = text.split("\n")
        self.entries.update(zip(parts[0::2], parts[1::2]))
        if self.fresh is not None:  # a triple loaded twice is one triple in the store
            self.fresh.append("\n".join(parts[1::2]))
            self.fresh_count += len(parts) // 2

    def _groups(self, groups) -> None:
        for guard, pairs, inner in groups:
            if guard in self.seen:
                continue
            self.seen.add(guard)
            if guard.startswith(CASE_GUARD):
                self.cases += 1
            self._take(pairs)
            self._groups(inner)

    # -- runs ------------------------------------------------------------------------------------
    def _run_file(self, kind: str) -> Path:
        if self._made is None:
            if self.folder is not None:
                self.folder.mkdir(parents=True, exist_ok=True)
                self._made = self.folder
            else:
                self._made = Path(tempfile.mkdtemp(prefix="adminkg-merge-"))
        return self._made / f"{kind}-{next(self._names):06d}"

    def _spill(self) -> None:
        """Write the entries and confidences held in memory to runs, and forget them."""
        with self._writing():
            if self.entries:
                self.runs.append(_write_entries(self._run_file("entries"), self.entries))
            if self.confidences:
                rows = sorted((key, ev, str(value), line) for ev, (value, key, line) in self.confidences.items())
                self.confidence_runs.append(_write_rows(self._run_file("confidences"), rows))
        self.entries, self.confidences = {}, {}
        self.spills += 1

    @contextmanager
    def _writing(self):
        """:class:`adminkg.errors.InputError` names the folder that cannot take the runs (a full disk)."""
        try:
            yield
        except OSError as exc:
            raise write_error(self._made or self.folder, exc) from exc

    def _few(self) -> None:
        """Merge the oldest runs into one until FAN_IN are left, the most the output opens at once.
        Done at the end, not as runs are written: a merge of runs while documents come would keep
        the build from taking the workers' results, which would pile up in memory meanwhile."""
        with self._writing():
            for runs, width, combine in ((self.runs, 2, None), (self.confidence_runs, 4, _best)):
                while len(runs) > FAN_IN:
                    take = min(FAN_IN, len(runs) - FAN_IN + 1)
                    oldest, runs[:take] = runs[:take], []
                    if combine is None:
                        runs.append(_write_pairs(self._run_file("entries"), _merge_blocks(map(_pair_blocks, oldest))))
                    else:
                        rows = combine(heapq.merge(*(_read_rows(path, width) for path in oldest)))
                        runs.append(_write_rows(self._run_file("confidences"), rows))
                    for path in oldest:
                        path.unlink()

    def _best_confidences(self) -> Iterator[tuple[str, str, str, str]]:
        """(key, evidence, value, line) of the highest confidence of each evidence, sorted by key."""
        self._few()
        streams = [_read_rows(path, 4) for path in self.confidence_runs]
        streams.append(iter(sorted((key, ev, str(value), line) for ev, (value, key, line) in self.confidences.items())))
        return _best(heapq.merge(*streams))

    # -- output ----------------------------------------------------------------------------------
    def take_fresh(self) -> bytes:
        """N-Triples of the triples merged since the last call (the confidences aside, which only the
        last document settles: :meth:`confidence_ntriples`)."""
        lines, self.fresh, self.fresh_count = self.fresh, [], 0
        lines.append("")
        return "\n".join(lines).encode("utf-8")

    def confidence_ntriples(self, batch: int = CHUNK_LINES) -> Iterator[bytes]:
        """N-Triples of the confidences (the highest of each evidence), *batch* lines at a time: once
        every trace is merged."""
        rows = self._best_confidences()
        while chunk := [row[3] for row in itertools.islice(rows, batch)]:
            chunk.append("")
            yield "\n".join(chunk).encode("utf-8")

    def blocks(self) -> Iterator[tuple[list[bytes], list[bytes]]]:
        """The merged graph as blocks of (keys, N-Triples lines) in UTF-8, in the order of
        :func:`adminkg.graphio.serialize_turtle`: the runs, what is in memory and the confidences."""
        self._few()
        confidences = _pair_chunks((key, line) for key, _, _, line in self._best_confidences())
        return _merge_blocks([*map(_pair_blocks, self.runs), _dict_blocks(self.entries), confidences])

    def chunks(self, size: int = CHUNK_LINES) -> Iterator[bytes]:
        """The merged graph's N-Triples (:meth:`blocks`), about *size* lines at a time, each chunk
        whole lines. With *reread*, the first complete reading is kept in a file the later ones read."""
        if self._merged is not None:
            yield from _file_chunks(self._merged)
            return
        if not self.reread:
            yield from self._merged_chunks(size)
            return
        with self._writing():
            path = self._run_file("merged")
            keep = open(path, "wb")
        done = False
        try:
            for chunk in self._merged_chunks(size):
                with self._writing():
                    keep.write(chunk)
                yield chunk
            done = True
        finally:
            keep.close()
            if done:
                self._merged = path
            else:  # a reading stopped half-way (or failed): the part written goes
                path.unlink(missing_ok=True)

    def _merged_chunks(self, size: int) -> Iterator[bytes]:
        lines: list[bytes] = []
        for _, block in self.blocks():
            lines += block
            if len(lines) >= size:
                lines.append(b"")
                yield b"\n".join(lines)
                lines = []
        if lines:
            lines.append(b"")
            yield b"\n".join(lines)

    def _forget_merged(self) -> None:
        if self._merged is not None:
            self._merged.unlink(missing_ok=True)
            self._merged = None

    def ntriples(self) -> bytes:
        """The merged graph as N-Triples, in the order of :func:`adminkg.graphio.serialize_turtle` (in
        memory: :meth:`write_turtle` streams)."""
        return b"".join(self.chunks())

    def write_turtle(self, output: BinaryIO, prefixes: dict[str, str], header: bytes) -> None:
        """Write the Turtle of :func:`turtle_of_ntriples` to *output* (a binary file), streamed: the
        N-Triples go to Oxigraph a chunk at a time and its Turtle straight to the file."""
        output.write(header)
        triples = itertools.chain.from_iterable(map(_parse_ntriples, self.chunks()))
        pyoxigraph.serialize(triples, output, pyoxigraph.RdfFormat.TURTLE, prefixes=prefixes)

    def graph(self) -> Graph:
        """The merged graph in rdflib (for curation, which edits it)."""
        return Graph(store="SimpleMemory").parse(data=self.ntriples().decode("utf-8"), format="nt")

    def close(self) -> None:
        """Remove the runs and their folder (the merge is done, or failed)."""
        if self._made is not None:
            shutil.rmtree(self._made, ignore_errors=True)
            self._made = None
        self.runs, self.confidence_runs = [], []
        self._merged = None


# -- run files: sorted rows, one string a line (keys and N-Triples lines hold no line break) --------
# Entries are merged as UTF-8 bytes, which sort as their text does (code point order): read back
# from a run, they are never decoded.
def _write_pairs(path: Path, blocks) -> Path:
    """Write the (keys, lines) *blocks* (UTF-8) to the run file *path*: key, line, key, line…"""
    with open(path, "wb") as fh:
        for keys, lines in blocks:
            fh.write(b"\n".join(itertools.chain.from_iterable(zip(keys, lines))))
            fh.write(b"\n")
    return path


def _write_entries(path: Path, entries: dict[str, str]) -> Path:
    """Write *entries* (key → line), sorted, to the run file *path*."""
    keys = sorted(entries)
    with open(path, "wb") as fh:
        for start in range(0, len(keys), CHUNK_LINES):
            block = keys[start:start + CHUNK_LINES]
            fh.write("\n".join(itertools.chain.from_iterable(zip(block, map(entries.__getitem__, block))))
                     .encode("utf-8"))
            fh.write(b"\n")
    return path


def _pair_blocks(path: Path) -> Iterator[tuple[list[bytes], list[bytes]]]:
    """The (keys, lines) blocks of a run file of pairs, about :data:`BLOCK_BYTES` at a time."""
    with open(path, "rb") as fh:
        rest = b""
        while data := fh.read(BLOCK_BYTES):
            parts = (rest + data).split(b"\n")
            rest = parts.pop()  # after the last line break: the start of a line
            if len(parts) % 2:  # a key whose line is still to come
                rest = parts.pop() + b"\n" + rest
            yield parts[0::2], parts[1::2]


def _file_chunks(path: Path, size: int = 1 << 22) -> Iterator[bytes]:
    """The N-Triples of the file *path* in chunks of whole lines, about *size* bytes each."""
    with open(path, "rb") as fh:
        rest = b""
        while data := fh.read(size):
            data = rest + data
            cut = data.rfind(b"\n") + 1
            rest = data[cut:]
            if cut:
                yield data[:cut]
        if rest:
            yield rest + b"\n"


def _utf8(strings: list[str]) -> list[bytes]:
    return "\n".join(strings).encode("utf-8").split(b"\n") if strings else []


def _dict_blocks(entries: dict[str, str], size: int = CHUNK_LINES) -> Iterator[tuple[list[bytes], list[bytes]]]:
    """The entries held in memory as sorted (keys, lines) blocks (strings sort faster than pairs)."""
    keys = sorted(entries)
    for start in range(0, len(keys), size):
        block = keys[start:start + size]
        yield _utf8(block), _utf8(list(map(entries.__getitem__, block)))


def _pair_chunks(pairs, size: int = CHUNK_LINES) -> Iterator[tuple[list[bytes], list[bytes]]]:
    """Sorted (key, line) *pairs* as (keys, lines) blocks."""
    pairs = iter(pairs)
    while chunk := list(itertools.islice(pairs, size)):
        yield _utf8([key for key, _ in chunk]), _utf8([line for _, line in chunk])


def _merge_blocks(sources) -> Iterator[tuple[list[bytes], list[bytes]]]:
    """Sources of sorted (keys, lines) blocks merged into sorted blocks, each key once. Each round
    takes from every source what sorts up to the smallest of their blocks' last keys (so that block
    is used up): a dict of those makes them distinct, and sorting it (runs that Python's sort merges)
    orders them; the work is C's, not a Python loop per line."""
    heads = []  # [keys, lines, position, source]
    for source in sources:
        source = iter(source)
        for keys, lines in source:
            if keys:
                heads.append([keys, lines, 0, source])
                break
    while heads:
        least = min(heads, key=lambda head: head[0][-1])
        bound = least[0][-1]
        batch: dict[bytes, bytes] = {}
        for head in heads:
            keys, lines, start, _ = head
            end = len(keys) if head is least else bisect.bisect_right(keys, bound, start)
            batch.update(zip(keys[start:end], lines[start:end]))
            head[2] = end
        live = []
        for head in heads:
            if head[2] == len(head[0]):  # used up: the source's next block
                block = next((b for b in head[3] if b[0]), None)
                if block is None:
                    continue
                head[:3] = block[0], block[1], 0
            live.append(head)
        heads = live
        keys = sorted(batch)
        yield keys, list(map(batch.__getitem__, keys))


def _write_rows(path: Path, rows) -> Path:
    """Write *rows* (tuples of strings, sorted) to the run file *path*, one string a line."""
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.writelines("\n".join(row) + "\n" for row in rows)
    return path


def _read_rows(path: Path, width: int) -> Iterator[tuple[str, ...]]:
    """The rows of a run file: tuples of *width* strings."""
    with open(path, encoding="utf-8", newline="\n") as fh:
        lines = (line[:-1] for line in fh)
        yield from zip(*[lines] * width)


def _best(rows):
    """Of sorted confidence *rows* (key, evidence, value, line), the highest of each evidence."""
    best = None
    for row in rows:
        # an evidence's confidences are one triple pattern (ev, akg:confidence, ?): next to each other
        if best is not None and row[1] == best[1]:
            if Decimal(row[2]) > Decimal(best[2]):
                best = row
            continue
        if best is not None:
            yield best
        best = row
    if best is not None:
        yield best


def _parse_ntriples(data: bytes):
    # our own N-Triples, written by Oxigraph: no need to check them again (twice as fast)
    return pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.N_TRIPLES, lenient=True)


def turtle_of_ntriples(data: bytes, prefixes: dict[str, str], header: bytes) -> bytes:
    """Turtle of sorted N-Triples *data*: the bytes :func:`adminkg.graphio.serialize_turtle` gives."""
    # streamed, never a list (a million triple objects at once cost more than writing them)
    return header + pyoxigraph.serialize(_parse_ntriples(data), format=pyoxigraph.RdfFormat.TURTLE, prefixes=prefixes)


__all__ = ["GraphSink", "Merge", "Trace", "entry", "turtle_of_ntriples"]
