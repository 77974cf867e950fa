"""Run named SPARQL queries on a build's store and write the answers (table, CSV, TSV, JSON)."""
from __future__ import annotations

import csv
import io
from pathlib import Path

from .queries import bind, get_query
from .store import open_store
from .tables import format_table

FORMATS = ("table", "json", "csv", "tsv", "md")


def _cell(term) -> str:
    if term is None:
        return ""
    return term.value if hasattr(term, "value") else str(term)


def run(name_or_file: str, data: Path, params: dict[str, str] | None = None) -> tuple[list[str], list[list]]:
    """(variables, rows of pyoxigraph terms) of a library query or .rq file on *data*, its
    parameters bound to *params* (else their defaults) as escaped SPARQL terms."""
    query = get_query(name_or_file)
    text = bind(query, params)
    store = open_store(data)
    solutions = store.query(text)
    names = [v.value for v in solutions.variables]
    rows = [[sol[v] for v in names] for sol in solutions]
    return names, rows


def render(names: list[str], rows: list[list], fmt: str) -> str:
    """Write the answers: ``json`` = SPARQL 1.1 JSON results, ``csv`` = SPARQL 1.1 CSV results."""
    if fmt == "json":
        import json

        bindings = []
        for row in rows:
            b = {}
            for name, term in zip(names, row):
                if term is None:
                    continue
                kind = type(term).__name__
                if kind == "NamedNode":
                    b[name] = {"type": "uri", "value": term.value}
                elif kind == "BlankNode":
                    b[name] = {"type": "bnode", "value": term.value}
                else:
                    item = {"type": "literal", "value": term.value}
                    if term.language:
                        item["xml:lang"] = term.language
                    elif term.datatype and term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
                        item["datatype"] = term.datatype.value
                    b[name] = item
            bindings.append(b)
        return json.dumps({"head": {"vars": names}, "results": {"bindings": bindings}}, ensure_ascii=False, indent=1)
    if fmt in ("csv", "tsv"):
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter="," if fmt == "csv" else "\t", lineterminator="\r\n")
        writer.writerow(names)
        for row in rows:
            writer.writerow([_cell(t) for t in row])
        return buf.getvalue()
    cells = [[_cell(t) for t in row] for row in rows]
    if fmt == "md":
        lines = ["| " + " | ".join(names) + " |", "|" + "---|" * len(names)]
        lines += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in cells]
        return "\n".join(lines)
    return format_table(names, cells) + f"\n({len(rows)} row{'s' if len(rows) != 1 else ''})"
