"""Where the project's declarative assets live.

In a checkout (editable install) they are the top-level folders ``ontology/``, ``queries/``,
``data/`` and ``site/`` (the publishing rules and templates); a wheel carries copies under
``adminkg/_assets/``.
"""
from __future__ import annotations

from pathlib import Path

_PKG = Path(__file__).resolve().parent
_ASSETS = _PKG / "_assets"
ROOT = _ASSETS if _ASSETS.is_dir() else _PKG.parent

ONTOLOGY_DIR = ROOT / "ontology"
VOCAB_DIR = ONTOLOGY_DIR / "vocab"
ONTOLOGY_FILE = ONTOLOGY_DIR / "adminkg.ttl"
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"
QUERIES_DIR = ROOT / "queries"
DATA_TTL_DIR = ROOT / "data" / "ttl"
GAZETTEER_SRC_DIR = ROOT / "data" / "gazetteer"
GAZETTEER_TTL = DATA_TTL_DIR / "gazetteer.ttl"
SITE_DIR = ROOT / "site"
DESCRIPTION_SHAPES_FILE = ONTOLOGY_DIR / "description-shapes.ttl"
QUALITY_METRICS_FILE = ONTOLOGY_DIR / "quality.ttl"


def ontology_files() -> list[Path]:
    """The OWL ontology and every SKOS vocabulary, in a fixed order."""
    return [ONTOLOGY_FILE, *sorted(VOCAB_DIR.glob("*.ttl"))]


def expand_folders(files) -> list[Path]:
    """*files* with each folder (a build folder such as ``build/demo``, or ``data/ttl``) replaced by
    the Turtle files directly in it, in a fixed order."""
    out: list[Path] = []
    for f in map(Path, files):
        out += sorted(f.glob("*.ttl")) if f.is_dir() else [f]
    return out


def data_files() -> list[Path]:
    """The published graph and reference data under ``data/ttl``, in a fixed order."""
    return sorted(DATA_TTL_DIR.glob("*.ttl"))
