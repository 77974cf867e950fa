"""``adminkg serve``: a real SPARQL 1.1 endpoint on 127.0.0.1 — the ``oxigraph`` server from PyPI.

It serves a build's store read-only by default (``oxigraph serve-read-only``), with a query
timeout; a folder that holds Turtle only (``data/ttl``) is loaded into a temporary store first.
``writable=True`` serves a read-write store (``oxigraph serve``) that accepts SPARQL Update and
the Graph Store Protocol — the target of ``adminkg publish`` in tests. Queries see the union of
all graphs as their default graph, so a graph published under a name answers the library too.
"""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from .errors import AdminKGError

HOST = "127.0.0.1"


def oxigraph_binary() -> str:
    """The ``oxigraph`` executable installed beside this Python (the PyPI package), else on PATH."""
    found = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
    if not found:
        raise AdminKGError("the oxigraph server is not installed: pip install 'oxigraph>=0.5,<0.6'")
    return found


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


@dataclass(eq=False)
class Server:
    """A running ``oxigraph`` server process and its URLs (``query``, ``update``, ``store``)."""

    process: subprocess.Popen
    port: int
    writable: bool
    location: Path
    log: Path
    _tmp: tempfile.TemporaryDirectory | None = field(default=None, repr=False)
    timeout: float = 60.0

    @property
    def base(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def query_url(self) -> str:
        return f"{self.base}/query"

    @property
    def update_url(self) -> str:
        return f"{self.base}/update"

    @property
    def store_url(self) -> str:
        """The Graph Store Protocol endpoint (writable servers)."""
        return f"{self.base}/store"

    def wait_ready(self, seconds: float = 30.0) -> None:
        """Return when the server answers a query; :class:`AdminKGError` (with its log) when it
        exits or stays silent for *seconds*."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                err = self.log.read_text("utf-8", "replace") if self.log.exists() else ""
                raise AdminKGError(f"the oxigraph server stopped at start (exit {self.process.returncode}): "
                                   f"{' '.join(err.split())[:500]}")
            try:
                with urllib.request.urlopen(f"{self.query_url}?query=ASK%7B%7D", timeout=2):
                    return
            except (urllib.error.URLError, OSError):
                time.sleep(0.1)
        raise AdminKGError(f"the oxigraph server did not answer on {self.base} within {seconds:g} s")

    def replacement(self) -> Server:
        """A new server process on the same read-only store (on another free port), ready; it takes
        over the temporary folder, so this one can be stopped while the new one serves. The way to
        end a query that runs on inside the process after its client gave up (Oxigraph does not
        stop an aggregate or a sort at its timeout)."""
        if self.writable:
            raise AdminKGError("a writable store has one server: it cannot be replaced while it runs")
        log = self.log.with_name(f"oxigraph-{time.monotonic_ns()}.log")
        server = _launch(self.location, free_port(), self.timeout, False, log)
        server._tmp, self._tmp = self._tmp, None
        try:
            server.wait_ready()
        except BaseException:
            self._tmp, server._tmp = server._tmp, None
            server.stop()
            raise
        return server

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def start(data: Path | None = None, *, port: int = 0, timeout: float = 60.0, writable: bool = False,
          reference: bool = True) -> Server:
    """Start the server on 127.0.0.1:*port* (0 = a free port) and wait until it answers.

    *data*: a build folder with a ``store/`` (served as it is), a folder of Turtle files or one
    file (loaded with the ontology and gazetteer into a temporary store), or ``None`` for an
    empty store (writable only). *timeout*: seconds a query may run before the server stops it.
    *reference*: False loads Turtle as it is, without adding the ontology and gazetteer (an
    export's dump holds them already).
    """
    from .store import build_store, turtle_files, with_reference

    tmp = tempfile.TemporaryDirectory(prefix="adminkg-serve-")  # the server's log, a loaded store
    try:
        if data is not None and (Path(data) / "store").is_dir():
            location = Path(data) / "store"
        else:
            location = Path(tmp.name) / "store"
            if data is not None:
                files = turtle_files(data)
                build_store(location, with_reference(files) if reference else files)
            elif writable:
                location.mkdir()
            else:
                raise AdminKGError("nothing to serve: give --data, or --writable for an empty store")
        server = _launch(location, port or free_port(), timeout, writable, Path(tmp.name) / "oxigraph.log")
    except BaseException:
        tmp.cleanup()
        raise
    server._tmp = tmp
    try:
        server.wait_ready()
    except BaseException:
        server.stop()
        raise
    return server


def _launch(location: Path, port: int, timeout: float, writable: bool, log: Path) -> Server:
    """Start ``oxigraph serve`` (or ``serve-read-only``) on *location* and 127.0.0.1:*port*, its
    errors written to *log*; not yet ready."""
    command = [oxigraph_binary(), "serve" if writable else "serve-read-only", "--location", str(location),
               "--bind", f"{HOST}:{port}", "--union-default-graph", "--timeout-s", str(max(1, round(timeout)))]
    with open(log, "wb") as err:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=err)
    return Server(process, port, writable, location, log, timeout=timeout)
