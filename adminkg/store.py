"""The embedded store: a persistent pyoxigraph store inside the build's output folder.

Loading is atomic: the new store is built beside the old one and renamed over it, so a failed
or interrupted load leaves the previous store usable.
"""
from __future__ import annotations

import queue
import shutil
import threading
from pathlib import Path

from .errors import InputError
from .outdir import write_error


def build_store(target: Path, files: list[Path]) -> Path:
    """Load *files* (Turtle) into a new store at *target*, replacing any previous one atomically."""
    loader = StoreLoader(target)
    try:
        for f in files:
            loader.put(Path(f))
    except BaseException:
        loader.abort()
        raise
    return loader.finish()


_SEAL = object()  # put after the last piece: flush and compact
QUEUE_PIECES = 4  # pieces of N-Triples waiting for the loading thread at most: put() waits beyond


class StoreLoader:
    """A new store at *target*, loaded piece by piece (Turtle files, N-Triples as bytes) while a build
    goes on, in a thread of its own when *background* (Oxigraph loads without Python's lock; the
    thread starts with :meth:`start`, so a process can fork its workers before; once it runs, at most
    :data:`QUEUE_PIECES` pieces of N-Triples wait for it, so the build's memory does not grow when
    loading is the slower), then put in the place of the old one by :meth:`finish`; :meth:`abort`
    leaves the old one."""

    def __init__(self, target: Path, *, background: bool = False):
        import pyoxigraph

        self.target = Path(target)
        self.tmp = self.target.with_name(self.target.name + ".tmp")
        shutil.rmtree(self.tmp, ignore_errors=True)
        self.store = pyoxigraph.Store(str(self.tmp))
        self.error: BaseException | None = None
        self.sealed = False
        self.queue = self.thread = None
        if background:
            self.queue = queue.Queue()
            self.room = threading.Semaphore(QUEUE_PIECES)
            self.thread = threading.Thread(target=self._drain, name="store loader", daemon=True)

    def start(self) -> None:
        """Start loading what was put (with a thread; without one, each piece is loaded when put)."""
        if self.thread is not None and not self.thread.is_alive():
            self.thread.start()

    def put(self, item: Path | bytes) -> None:
        """Load a Turtle file (a Path) or N-Triples (bytes); with a thread, later, in the order given."""
        if self.error is not None:
            raise self.error
        if self.queue is not None:
            counted = isinstance(item, bytes) and self.thread is not None and self.thread.is_alive()
            if counted:  # the thread takes every piece, failed or not: it makes room again
                self.room.acquire()
            self.queue.put((item, counted))
        else:
            self._load(item)

    def seal(self) -> None:
        """Nothing more will be put: flush and compact the store now (in the thread, when there is
        one, while the build writes its other files)."""
        self.put(_SEAL)

    def _load(self, item) -> None:
        import pyoxigraph

        try:
            if item is _SEAL:
                self.store.flush()
                self.store.optimize()
                self.sealed = True
            elif isinstance(item, bytes):
                self.store.bulk_load(item, format=pyoxigraph.RdfFormat.N_TRIPLES)
            else:
                with open(item, "rb") as fh:
                    self.store.bulk_load(fh, format=pyoxigraph.RdfFormat.TURTLE)
        except OSError as exc:  # the store's own files: a full disk, a folder not writable
            raise write_error(self.target, exc) from exc
        except (SyntaxError, ValueError) as exc:
            raise InputError(item if isinstance(item, Path) else self.target,
                             f"cannot load into the store: {exc}") from exc

    def _drain(self) -> None:
        while (piece := self.queue.get()) is not None:
            item, counted = piece
            if self.error is None:
                try:
                    self._load(item)
                except BaseException as exc:  # handed to the build by put() or finish()
                    self.error = exc
            if counted:
                self.room.release()

    def _stop(self) -> None:
        if self.thread is not None:
            self.start()
            self.queue.put(None)
            self.thread.join()
            self.thread = None

    def finish(self) -> Path:
        """Wait for what was put, then put the new store in the place of the old one."""
        try:
            self._stop()
            if self.error is not None:
                raise self.error
            if not self.sealed:
                self._load(_SEAL)
        except BaseException:
            self.abort()
            raise
        del self.store
        old = self.target.with_name(self.target.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if self.target.exists():
            self.target.rename(old)
        self.tmp.rename(self.target)
        shutil.rmtree(old, ignore_errors=True)
        return self.target

    def abort(self) -> None:
        """Stop and remove the new store; the old one stays."""
        self._stop()
        self.store = None
        shutil.rmtree(self.tmp, ignore_errors=True)


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
