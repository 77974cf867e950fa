"""The Python API for scripts and notebooks: open a graph, run named queries, get rows.

::

    import adminkg
    kg = adminkg.open_graph("data/ttl")                 # or a build folder, or endpoint="http://…/query"
    result = kg.query("cases-by-technology", tech="AI", year=2021)
    result.rows                                          # [{'year': 2021, 'case': 'https://…', …}, …]
    result.to_dataframe()                                # a pandas DataFrame, when pandas is installed
    kg.sparql("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows
    [q.name for q in adminkg.query_library()]           # the library, with titles and parameters
"""
from __future__ import annotations

from pathlib import Path

from .queries import NamedQuery, bind, get_query, library
from .query import Results, select_embedded


class KnowledgeGraph:
    """The graph of a build folder or Turtle files (embedded pyoxigraph store, opened once), or a
    remote SPARQL 1.1 endpoint."""

    def __init__(self, data: Path | str | None = None, *, endpoint: str | None = None, graph: str | None = None,
                 timeout: float | None = None):
        from . import paths

        self.endpoint = endpoint
        self.graph = graph
        self.timeout = timeout
        self.data = Path(data) if data is not None else (None if endpoint else paths.DATA_TTL_DIR)
        self._store = None

    @property
    def store(self):
        """The embedded pyoxigraph store (opened on first use)."""
        if self._store is None and not self.endpoint:
            from .store import open_store

            self._store = open_store(self.data)
        return self._store

    def query(self, name_or_file: str, /, **params) -> Results:
        """Run a library query (by name) or a ``.rq`` file with *params* bound safely (an agency by
        any of its names, a technology or grade by code or label: :mod:`adminkg.params`)."""
        from .params import resolve

        values = {k: str(v) for k, v in params.items() if v is not None}
        query = get_query(name_or_file)
        return self.sparql(bind(query, resolve(query, values)))

    def sparql(self, text: str) -> Results:
        """Run the SELECT query *text* as it is (:meth:`query` binds a library query first)."""
        if self.endpoint:
            from .endpoint import select

            return select(self.endpoint, text, timeout=self.timeout, default_graph=self.graph)
        return select_embedded(self.store, text, timeout=self.timeout)

    def __repr__(self) -> str:
        return f"KnowledgeGraph({self.endpoint or str(self.data)!r})"


def open_graph(data: Path | str | None = None, *, endpoint: str | None = None, graph: str | None = None,
               timeout: float | None = None) -> KnowledgeGraph:
    """Open the graph of *data* (a build folder, a folder of Turtle files, a file; default the
    published ``data/ttl``) or of a SPARQL 1.1 *endpoint* (*graph*: its default graph)."""
    return KnowledgeGraph(data, endpoint=endpoint, graph=graph, timeout=timeout)


def query_library() -> list[NamedQuery]:
    """The query library: name, title, description and parameters (with defaults) of each."""
    return library()
