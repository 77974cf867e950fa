"""The embedded store: a persistent pyoxigraph store inside the build's output folder.

Loading is atomic: the new store is built beside the old one and renamed over it, so a failed
or interrupted load leaves the previous store usable.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from .errors import InputError
from .outdir import write_error


def build_store(target: Path, files: list[Path]) -> Path:
    """Load *files* (Turtle) into a new store at *target*, replacing any previous one atomically."""
    import pyoxigraph

    target = Path(target)
    tmp = target.with_name(target.name + ".tmp")
    old = target.with_name(target.name + ".old")
    shutil.rmtree(tmp, ignore_errors=True)
    store = pyoxigraph.Store(str(tmp))
    try:
        for f in files:
            with open(f, "rb") as fh:
                store.bulk_load(fh, format=pyoxigraph.RdfFormat.TURTLE)
        store.flush()
        store.optimize()
    except OSError as exc:  # the store's own files: a full disk, a folder not writable
        del store
        shutil.rmtree(tmp, ignore_errors=True)
        raise write_error(target, exc) from exc
    except (SyntaxError, ValueError) as exc:
        del store
        shutil.rmtree(tmp, ignore_errors=True)
        raise InputError(f, f"cannot load into the store: {exc}") from exc
    del store
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    tmp.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    return target


def with_reference(files: list[Path]) -> list[Path]:
    """The ontology, the vocabularies and the gazetteer, then *files*; each file once (``data/ttl``
    holds the gazetteer too)."""
    from . import paths

    seen: set[Path] = set()
    out = []
    for f in [*paths.ontology_files(), paths.GAZETTEER_TTL, *map(Path, files)]:
        if f.resolve() not in seen:
            seen.add(f.resolve())
            out.append(f)
    return out


def memory_store(files: list[Path]):
    """An in-memory pyoxigraph store of the Turtle *files*; :class:`InputError` names a bad one."""
    import pyoxigraph

    store = pyoxigraph.Store()
    for f in files:
        try:
            with open(f, "rb") as fh:
                store.bulk_load(fh, format=pyoxigraph.RdfFormat.TURTLE)
        except (OSError, SyntaxError, ValueError) as exc:
            raise InputError(f, f"cannot load: {exc}") from exc
    return store


def turtle_files(data: Path) -> list[Path]:
    """The Turtle files of a folder (or the file itself); :class:`InputError` when there are none."""
    data = Path(data)
    if not data.exists():
        raise InputError(data, "no such build folder")
    files = sorted(data.glob("*.ttl")) if data.is_dir() else [data]
    if not files:
        raise InputError(data, "no store and no Turtle files in this folder")
    return files


def open_store(data: Path):
    """The store of a build folder (read-only), or an in-memory store of its Turtle files with the
    ontology, vocabularies and gazetteer."""
    import pyoxigraph

    data = Path(data)
    if (data / "store").is_dir():
        try:
            return pyoxigraph.Store.read_only(str(data / "store"))
        except (OSError, ValueError, RuntimeError) as exc:
            raise InputError(data / "store", f"the store is damaged or unreadable ({' '.join(str(exc).split())[:200]}):"
                                             f" build it again with `adminkg build --out {data}`") from exc
    return memory_store(with_reference(turtle_files(data)))
