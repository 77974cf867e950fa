"""The driver of the extraction passes: the order comes from the lexicon's ``[pipeline] passes``
(``loaders/lexicon/korean.toml``), each name one of ``loaders.passes.PASSES``. A name that is no pass,
or an order in which a pass reads what no pass before it writes, is an :class:`InputError` naming
the lexicon file, raised when the extractor is made, before any document is read."""
from __future__ import annotations

from pathlib import Path

from adminkg.errors import InputError

from .documents import Document
from .passes import PASSES, Analysis, Pass
from .records import CaseRecord

GIVEN = ("doc",)  # what the driver hands the first pass


class Pipeline:
    """The passes to run, in order: ``pipeline(ex, doc)`` runs them on one document and returns its
    records."""

    def __init__(self, names: list[str], *, source: str | Path = "[pipeline]"):
        self.source = str(source)
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise InputError(source, "[pipeline] passes must be a list of pass names")
        unknown = [n for n in names if n not in PASSES]
        if unknown:
            raise InputError(source, f"[pipeline] passes: no pass named {', '.join(map(repr, unknown))} "
                                     f"(the passes: {', '.join(PASSES)})")
        self.passes: list[Pass] = [PASSES[n] for n in names]
        written = set(GIVEN)
        for p in self.passes:
            missing = [field for field in p.reads if field not in written]
            if missing:
                raise InputError(source, f"[pipeline] passes: {p.name!r} reads {', '.join(missing)}, which no "
                                         "pass before it writes")
            written.update(p.writes)
        if "records" not in written:
            raise InputError(source, "[pipeline] passes: no pass writes the records (add 'assemble')")

    @classmethod
    def from_config(cls, cfg: dict, *, source: str | Path) -> Pipeline:
        """The pipeline a lexicon's ``[pipeline]`` table declares."""
        table = cfg.get("pipeline")
        if not isinstance(table, dict) or "passes" not in table:
            raise InputError(source, "no [pipeline] passes: the lexicon must list the passes in their order")
        return cls(table["passes"], source=source)

    @property
    def names(self) -> list[str]:
        return [p.name for p in self.passes]

    def __call__(self, ex, doc: Document) -> list[CaseRecord]:
        analysis = Analysis(doc)
        for p in self.passes:
            p(ex, analysis)
        return analysis.records
