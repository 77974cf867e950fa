"""The named SPARQL query library (``queries/*.rq``) and its header comments.

A query file starts with comment lines ``# title: …``, ``# description: …`` and, for
parameters, ``# param: NAME default``, and ``# accepts: NAME KIND`` for a parameter a person
names a thing by (``agency``, or a concept scheme such as ``technology``; see
:mod:`adminkg.params`). The file name without ``.rq`` is the query's name.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from . import paths
from .errors import InputError

_HEADER = re.compile(r"^#\s*(title|description|param|accepts)\s*:\s*(.*)$")


@dataclass(frozen=True)
class NamedQuery:
    name: str
    path: Path
    text: str
    title: str = ""
    description: str = ""
    params: dict[str, str] = field(default_factory=dict)
    accepts: dict[str, str] = field(default_factory=dict)  # parameter → what it names (agency, technology …)


def read_query(path: Path | str) -> NamedQuery:
    """Read one ``.rq`` file and its header; :class:`InputError` if it is missing or unreadable."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(path, f"cannot read query: {exc}") from exc
    meta: dict[str, str] = {}
    params: dict[str, str] = {}
    accepts: dict[str, str] = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        m = _HEADER.match(line)
        if not m:
            continue
        key, value = m.groups()
        if key == "param":
            name, _, default = value.strip().partition(" ")
            params[name] = default.strip()
        elif key == "accepts":
            name, _, kind = value.strip().partition(" ")
            accepts[name] = kind.strip()
        else:
            meta[key] = value.strip()
    unknown = sorted(set(accepts) - set(params))
    if unknown:
        raise InputError(path, f"'# accepts:' names {', '.join(unknown)}, which is no parameter of the query")
    return NamedQuery(path.stem, path, text, meta.get("title", ""), meta.get("description", ""), params, accepts)


def get_query(name_or_path: str) -> NamedQuery:
    """A query by library name (``cases``) or by file path (``my.rq``)."""
    candidate = Path(name_or_path)
    if candidate.suffix == ".rq" and candidate.exists():
        return read_query(candidate)
    path = paths.QUERIES_DIR / f"{name_or_path}.rq"
    if not path.exists():
        known = ", ".join(q.name for q in library())
        raise InputError(name_or_path, f"no such query (known: {known})")
    return read_query(path)


def library() -> list[NamedQuery]:
    """Every query of the library, by name."""
    return [read_query(p) for p in sorted(paths.QUERIES_DIR.glob("*.rq"))]


# Tokens of a query that may hold a "$name" which is not a parameter: strings, IRIs, comments.
_SKIP = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r"|<[^<>\"{}|^`\\\x00-\x20]*>"
    r"|#[^\n]*"
    r"|(?i:\b(LIMIT|OFFSET)\s+)\$([A-Za-z_][A-Za-z0-9_]*)"
    r"|\$([A-Za-z_][A-Za-z0-9_]*)"
)
_IRI = re.compile(r"(?:https?|urn|mailto|file):[^<>\"{}|^`\\\x00-\x20]+")
_INTEGER = re.compile(r"[+-]?[0-9]+")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def sparql_iri(value: str) -> str:
    """*value* as a SPARQL IRI term ``<…>``; :class:`InputError` when it is no valid absolute IRI."""
    if not _IRI.fullmatch(value):
        raise InputError(value, "not a valid IRI (spaces, quotes, braces or angle brackets are not allowed)")
    return f"<{value}>"


def sparql_term(value: str) -> str:
    """One value as a single SPARQL term: an integer, an IRI (``<…>``) when it is one, else a
    string literal with every quote, backslash and line break escaped, so whatever it holds
    (``"} ; DROP ALL #``) stays inside the literal."""
    if _INTEGER.fullmatch(value):
        return value
    if re.match(r"(?:https?|urn|mailto|file):", value):
        return sparql_iri(value)
    return '"' + "".join(_ESCAPES.get(ch, ch) for ch in value) + '"'


def bind(query: NamedQuery, values: dict[str, str] | None = None) -> str:
    """The query's text with each parameter ``$name`` replaced by its value as one SPARQL term
    (see :func:`sparql_term`): the value given, else the header's default. A parameter with no
    value stays a variable, which matches anything; ``LIMIT $name`` or ``OFFSET $name`` with no
    value is left out (no limit). Unknown names are an :class:`InputError`."""
    values = dict(values or {})
    unknown = sorted(set(values) - set(query.params))
    if unknown:
        known = ", ".join(query.params) or "none"
        raise InputError(query.name, f"unknown parameter {', '.join(unknown)} (parameters: {known})")
    terms = {name: sparql_term(v) for name, default in query.params.items() if (v := values.get(name, default)) != ""}

    def substitute(m: re.Match) -> str:
        keyword, name, param = m.group(1, 2, 3)
        if keyword is not None:
            return f"{keyword} {terms[name]}" if name in terms else ""
        return terms.get(param, m.group()) if param is not None else m.group()

    return _SKIP.sub(substitute, query.text)
