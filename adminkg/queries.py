"""The named SPARQL query library (``queries/*.rq``) and its header comments.

A query file starts with comment lines ``# title: …``, ``# description: …`` and, for
parameters, ``# param: NAME default``. The file name without ``.rq`` is the query's name.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from . import paths
from .errors import InputError

_HEADER = re.compile(r"^#\s*(title|description|param)\s*:\s*(.*)$")


@dataclass(frozen=True)
class NamedQuery:
    name: str
    path: Path
    text: str
    title: str = ""
    description: str = ""
    params: dict[str, str] = field(default_factory=dict)


def read_query(path: Path | str) -> NamedQuery:
    """Read one ``.rq`` file and its header; :class:`InputError` if it is missing or unreadable."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(path, f"cannot read query: {exc}") from exc
    meta: dict[str, str] = {}
    params: dict[str, str] = {}
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
        else:
            meta[key] = value.strip()
    return NamedQuery(path.stem, path, text, meta.get("title", ""), meta.get("description", ""), params)


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
