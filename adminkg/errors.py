"""The adminkg exception hierarchy. Library code raises these; only the CLI maps them to exit codes.

Exit codes used by the CLI: 0 ok, 1 the graph does not conform, 2 bad input or usage,
3 a remote endpoint failed.
"""
from __future__ import annotations


class AdminKGError(Exception):
    """Base class of every error adminkg raises on purpose."""

    exit_code = 2


class InputError(AdminKGError):
    """An input file is missing, unreadable or malformed. The message names the file."""

    def __init__(self, path, problem: str):
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


class ValidationFailed(AdminKGError):
    """The graph does not conform to the SHACL shapes (carries the report)."""

    exit_code = 1

    def __init__(self, report):
        self.report = report
        super().__init__(f"the graph does not conform: {report.violation_count} violation(s)")


class EndpointError(AdminKGError):
    """A remote SPARQL endpoint was unreachable, answered an error, or timed out."""

    exit_code = 3
