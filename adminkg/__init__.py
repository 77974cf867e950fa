"""adminkg: a knowledge graph of public-sector administrative innovation cases.

The public API, for scripts and notebooks::

    import adminkg
    report = adminkg.validate()            # SHACL report of ontology + vocabularies + data/ttl
    summary = adminkg.info()               # what the graph holds
    result = adminkg.build_gazetteer()     # the gazetteer graph from data/gazetteer/*.csv
    kg = adminkg.open_graph("data/ttl")    # or a build folder, or endpoint="http://…/query"
    kg.query("cases-by-technology", tech="AI").rows      # named query, parameters bound safely
    kg.query("cases-per-province").to_dataframe()        # with pandas installed
"""
from __future__ import annotations

__version__ = "0.1.0"

from .api import KnowledgeGraph, open_graph, query_library  # noqa: E402
from .errors import AdminKGError, EndpointError, InputError, ValidationFailed  # noqa: E402
from .gazetteer import build_gazetteer, write_gazetteer  # noqa: E402
from .info import info  # noqa: E402
from .query import Results  # noqa: E402
from .validate import format_report, validate, validate_graph  # noqa: E402

__all__ = [
    "AdminKGError", "EndpointError", "InputError", "KnowledgeGraph", "Results", "ValidationFailed",
    "build_gazetteer", "format_report", "info", "open_graph", "query_library", "validate", "validate_graph",
    "write_gazetteer", "__version__",
]
