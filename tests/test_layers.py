"""Layers import downwards only: every import of adminkg/*.py and loaders/*.py (read with ast, so
imports inside functions count too) goes to a module of the same layer or of a lower one. A loader
never imports the build that runs it, the store or the command line.

loaders/ is installed as ``adminkg.loaders``; nothing imports a top-level ``loaders``.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Lowest layer first. A loaders module not named here is extraction; an adminkg module must be named.
LAYERS = {
    "reference data and records": ["adminkg.paths", "adminkg.namespaces", "adminkg.errors", "adminkg.graphio",
                                   "adminkg.outdir", "adminkg.resolve", "adminkg.loaders.records", "adminkg.lod",
                                   "adminkg.rdfdump"],
    # the readers of each file kind (HWPX, HWP, PDF, DOCX) below the documents they make
    "readers": ["adminkg.loaders.readers", "adminkg.loaders.readers.markup", "adminkg.loaders.readers.hwpx",
                "adminkg.loaders.readers.hwp5", "adminkg.loaders.readers.pdf", "adminkg.loaders.readers.docx"],
    "sources": ["adminkg.loaders.documents", "adminkg.loaders.tabular"],
    "extraction": ["adminkg.loaders"],
    # the Korean extractor's passes (over the features, model, proposals and metrics of the layer
    # below), then the driver that runs them in the lexicon's order and the extractor made of them
    "extraction passes": ["adminkg.loaders.passes", "adminkg.loaders.passes.analysis",
                          "adminkg.loaders.passes.layout", "adminkg.loaders.passes.orgs",
                          "adminkg.loaders.passes.mentions", "adminkg.loaders.passes.scopes",
                          "adminkg.loaders.passes.titles", "adminkg.loaders.passes.candidates",
                          "adminkg.loaders.passes.leads", "adminkg.loaders.passes.merge",
                          "adminkg.loaders.passes.facts",
                          "adminkg.loaders.passes.awards", "adminkg.loaders.passes.decisions",
                          "adminkg.loaders.passes.assembly"],
    "extractor": ["adminkg.loaders.pipeline", "adminkg.loaders.korean"],
    "store": ["adminkg.store"],  # below build, which writes the embedded store it describes
    # SHACL validation: below build, which validates each document's triples as it emits them
    "validation": ["adminkg.shacl_rust", "adminkg.validate", "adminkg.buildvalidation"],
    "build": ["adminkg.build", "adminkg.gazetteer", "adminkg.scoring", "adminkg.curation", "adminkg.synthetic",
              "adminkg.fragments", "adminkg.emission", "adminkg.executors"],
    "SPARQL, serving and the API": ["adminkg.queries", "adminkg.params",
                                    "adminkg.query", "adminkg.endpoint", "adminkg.serve", "adminkg.gateway",
                                    "adminkg.publish", "adminkg.info", "adminkg.api",
                                    "adminkg.tables", "adminkg.learn", "adminkg.describe", "adminkg.front",
                                    "adminkg.review", "adminkg.teaching", "adminkg"],
    # networks and measures built from library queries, diffusion, boundaries; then what writes them out
    "analytics": ["adminkg.networks", "adminkg.measures", "adminkg.diffusion", "adminkg.geography"],
    "analysis outputs": ["adminkg.pictures", "adminkg.writeback", "adminkg.analysis_report", "adminkg.analyze"],
    # the static site and the export over the query library; releases, which export what they freeze
    "publishing": ["adminkg.site", "adminkg.export", "adminkg.release"],
    "commands": ["adminkg.cli", "adminkg.__main__"],
}
DEFAULT_LOADERS_LAYER = "extraction"
RANK = {name: rank for rank, name in enumerate(LAYERS)}
LAYER_OF = {module: layer for layer, modules in LAYERS.items() for module in modules}


def _modules() -> dict[str, Path]:
    """Module name → file, for adminkg/**.py and loaders/**.py (installed as adminkg.loaders); the
    symlink adminkg/loaders is walked as loaders/."""
    found = {}
    for folder, package in (("adminkg", "adminkg"), ("loaders", "adminkg.loaders")):
        for path in sorted((ROOT / folder).rglob("*.py")):
            parts = path.relative_to(ROOT / folder).with_suffix("").parts
            if parts[0] == "loaders" and folder == "adminkg":
                continue
            name = ".".join((package, *parts))
            found[name.removesuffix(".__init__")] = path
    return found


MODULES = _modules()


def _imports(module: str, path: Path):
    """(line, imported module) for every import of *path* that names an adminkg or loaders module."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            # `from adminkg import paths` imports the module adminkg.paths; `from .x import f` imports x.
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names]
        else:
            continue
        for target in dict.fromkeys(targets):
            if target.split(".")[0] in ("adminkg", "loaders"):
                yield node.lineno, target


def _layer(module: str) -> str | None:
    if module in LAYER_OF:
        return LAYER_OF[module]
    return DEFAULT_LOADERS_LAYER if module.startswith("adminkg.loaders.") else None


def test_layer_table_names_existing_modules():
    stale = sorted(set(LAYER_OF) - set(MODULES))
    assert not stale, f"LAYERS names modules that do not exist: {', '.join(stale)}"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_go_downwards(module):
    layer = _layer(module)
    assert layer is not None, f"{module} is not in LAYERS (tests/test_layers.py): place it in its layer"
    wrong = []
    for line, target in _imports(module, MODULES[module]):
        where = f"{MODULES[module].relative_to(ROOT)}:{line}: {module} ({layer}) imports {target}"
        if target.split(".")[0] == "loaders":
            wrong.append(f"{where}: the package is adminkg.loaders")
        elif target not in MODULES:
            wrong.append(f"{where}, which is no module of adminkg")
        elif RANK[_layer(target)] > RANK[layer]:
            wrong.append(f"{where} ({_layer(target)}), a higher layer: layers import downwards only")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("folder", ["tests", "benchmarks", "scripts"])
def test_nothing_imports_a_top_level_loaders(folder):
    """The same rule as above for the code around the package (a checkout can still import `loaders`)."""
    wrong = []
    for path in sorted((ROOT / folder).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else [])
            wrong += [f"{path.relative_to(ROOT)}:{node.lineno} imports {name}: the package is adminkg.loaders"
                      for name in names if name.split(".")[0] == "loaders"]
    assert not wrong, "\n".join(wrong)
