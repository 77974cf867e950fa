"""Run named SPARQL queries on the embedded store or a remote endpoint and write the answers.

Both back ends give the same :class:`Results`: the variables and one binding per row in the form
of SPARQL 1.1 JSON results (``{"type": "literal", "value": …, "xml:lang"/"datatype": …}``), so
that an answer from pyoxigraph and one from Virtuoso or an Oxigraph server compare and render
alike.
"""
from __future__ import annotations

import csv
import io
import json
import threading
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from .errors import EndpointError
from .queries import bind, get_query
from .tables import format_table

FORMATS = ("table", "json", "csv", "tsv", "md")
XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {XSD + t for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
                               "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong",
                               "unsignedShort", "unsignedByte")}
_DECIMALS = {XSD + "decimal", XSD + "double", XSD + "float"}
_BOOLEAN = XSD + "boolean"


@dataclass
class Results:
    """The answer to a SELECT query: ``vars`` and ``bindings`` as in SPARQL 1.1 JSON results."""

    vars: list[str]
    bindings: list[dict[str, dict]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.bindings)

    def __iter__(self):
        return iter(self.rows)

    @property
    def rows(self) -> list[dict[str, object]]:
        """One dict per row, variable → Python value (``int``/``float`` for numbers, ``str`` else,
        ``None`` when unbound)."""
        return [{v: python_value(b.get(v)) for v in self.vars} for b in self.bindings]

    def to_dataframe(self):
        """The rows as a pandas DataFrame (needs pandas: ``pip install pandas``)."""
        try:
            import pandas
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError("to_dataframe() needs pandas: pip install pandas") from exc
        return pandas.DataFrame(self.rows, columns=self.vars)

    def to_json(self) -> dict:
        """The SPARQL 1.1 JSON results document."""
        return {"head": {"vars": self.vars}, "results": {"bindings": self.bindings}}


def python_value(term: dict | None):
    if term is None:
        return None
    datatype = term.get("datatype")
    if datatype == _BOOLEAN:  # Virtuoso writes true/false as 1/0
        return term["value"] in ("true", "1")
    if datatype in _INTEGERS:
        try:
            return int(term["value"])
        except ValueError:
            return term["value"]
    if datatype in _DECIMALS:
        try:
            return float(term["value"])
        except ValueError:
            return term["value"]
    return term["value"]


def term_json(term) -> dict:
    """A pyoxigraph term as a SPARQL 1.1 JSON results term."""
    kind = type(term).__name__
    if kind == "NamedNode":
        return {"type": "uri", "value": term.value}
    if kind == "BlankNode":
        return {"type": "bnode", "value": term.value}
    item = {"type": "literal", "value": term.value}
    if term.language:
        item["xml:lang"] = term.language
    elif term.datatype and term.datatype.value != XSD + "string":
        item["datatype"] = term.datatype.value
    return item


def normalise_term(term: dict | None):
    """A hashable form of a JSON results term that two engines agree on: blank node labels are
    dropped, numbers compare by value (``"2"^^xsd:int`` = ``"2"^^xsd:integer``), booleans by truth
    (``"1"`` = ``"true"``). (Both back ends already write ``xsd:string`` as a plain literal and
    ``typed-literal`` as ``literal``.)"""
    if term is None:
        return None
    kind = term.get("type")
    if kind == "bnode":
        return ("bnode",)
    if kind == "uri":
        return ("uri", term["value"])
    datatype = term.get("datatype")
    if datatype == _BOOLEAN:
        return ("boolean", term["value"] in ("true", "1"))
    if datatype in _INTEGERS or datatype in _DECIMALS:
        try:
            return ("number", Decimal(term["value"]).normalize())
        except InvalidOperation:
            pass
    return ("literal", term["value"], (term.get("xml:lang") or "").lower(), datatype)


def run(name_or_file: str, data: Path | None = None, params: dict[str, str] | None = None, *,
        endpoint: str | None = None, timeout: float | None = None, default_graph: str | None = None,
        store=None) -> Results:
    """The answer of a library query or ``.rq`` file, its parameters bound to *params* (else
    their defaults; a name, code or label resolved as the query's ``# accepts:`` header says, see
    :mod:`adminkg.params`) as escaped SPARQL terms: on the embedded store of *data* (a build folder or
    Turtle files; or an open *store*), or on the SPARQL 1.1 *endpoint* URL when given.
    *timeout* (seconds) bounds the wait for the answer: :class:`EndpointError` past it."""
    from .params import resolve

    query = get_query(name_or_file)
    text = bind(query, resolve(query, params))
    if endpoint:
        from .endpoint import select

        return select(endpoint, text, timeout=timeout, default_graph=default_graph)
    if store is None:
        from .store import open_store

        store = open_store(data)
    return select_embedded(store, text, timeout=timeout)


def select_embedded(store, text: str, *, timeout: float | None = None) -> Results:
    """Evaluate a SELECT on a pyoxigraph store; with *timeout*, give up waiting after that many
    seconds (the evaluation runs on a daemon thread, which the process does not wait for)."""
    def evaluate() -> Results:
        solutions = store.query(text)
        names = [v.value for v in solutions.variables]
        bindings = [{n: term_json(t) for n in names if (t := sol[n]) is not None} for sol in solutions]
        return Results(names, bindings)

    if not timeout:
        return evaluate()
    box: dict[str, object] = {}

    def work() -> None:
        try:
            box["result"] = evaluate()
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
            box["error"] = exc

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise EndpointError(f"embedded store: no answer within {timeout:g} s (query timeout)")
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["result"]  # type: ignore[return-value]


def _cell(term: dict | None) -> str:
    return "" if term is None else term["value"]


_TSV_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_BARE = {XSD + "integer", XSD + "decimal", XSD + "double", XSD + "boolean"}


def tsv_term(term: dict | None) -> str:
    """A term as SPARQL 1.1 TSV results write it: ``<iri>``, ``_:b``, ``"text"@ko``,
    ``"2021"^^<…#gYear>``, bare integers, decimals, doubles and booleans; empty when unbound."""
    if term is None:
        return ""
    kind, value = term["type"], term["value"]
    if kind == "uri":
        return f"<{value}>"
    if kind == "bnode":
        return f"_:{value}"
    datatype = term.get("datatype")
    if datatype in _BARE and value and not any(c in value for c in " \t\n\"<>"):
        return {"1": "true", "0": "false"}.get(value, value) if datatype == XSD + "boolean" else value
    text = '"' + "".join(_TSV_ESCAPES.get(ch, ch) for ch in value) + '"'
    if term.get("xml:lang"):
        return f"{text}@{term['xml:lang']}"
    return f"{text}^^<{datatype}>" if datatype else text


def render(results: Results, fmt: str) -> str:
    """Write the answers: ``json`` = SPARQL 1.1 JSON results, ``csv`` = SPARQL 1.1 CSV results
    (values only), ``tsv`` = SPARQL 1.1 TSV results (terms in Turtle syntax), ``md`` (a Markdown
    table) or ``table`` (aligned for a terminal, Korean included)."""
    names = results.vars
    if fmt == "json":
        return json.dumps(results.to_json(), ensure_ascii=False, indent=1)
    rows = [[_cell(b.get(n)) for n in names] for b in results.bindings]
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(names)
        writer.writerows(rows)
        return buf.getvalue()
    if fmt == "tsv":
        lines = ["\t".join(f"?{n}" for n in names)]
        lines += ["\t".join(tsv_term(b.get(n)) for n in names) for b in results.bindings]
        return "\n".join(lines) + "\n"
    if fmt == "md":
        lines = ["| " + " | ".join(names) + " |", "|" + "---|" * len(names)]
        lines += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in rows]
        return "\n".join(lines)
    n = len(rows)
    return format_table(names, rows) + f"\n({n} row{'s' if n != 1 else ''})"
