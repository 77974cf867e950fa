"""adminkg: a knowledge graph of public-sector administrative innovation cases.

The public API, for scripts and notebooks::

    import adminkg
    report = adminkg.validate()            # SHACL report of ontology + vocabularies + data/ttl
    summary = adminkg.info()               # what the graph holds
    result = adminkg.build_gazetteer()     # the gazetteer graph from data/gazetteer/*.csv
"""
from __future__ import annotations

__version__ = "0.1.0"

from .errors import AdminKGError, EndpointError, InputError, ValidationFailed  # noqa: E402
from .gazetteer import build_gazetteer, write_gazetteer  # noqa: E402
from .info import info  # noqa: E402
from .validate import format_report, validate, validate_graph  # noqa: E402

__all__ = [
    "AdminKGError", "EndpointError", "InputError", "ValidationFailed", "build_gazetteer", "format_report",
    "info", "validate", "validate_graph", "write_gazetteer", "__version__",
]
