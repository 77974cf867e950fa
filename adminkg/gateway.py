"""The bounded HTTP gateway of ``adminkg serve``: what a client reaches, in front of the
``oxigraph`` server (:mod:`adminkg.serve`), which listens on a private port.

Oxigraph has a query timeout but no limit on the size of an answer, and at its timeout it cuts a
streamed result in the middle of a ``200 OK`` answer (the client gets broken JSON) while an
aggregate or a sort runs on after its client has gone. The gateway bounds all three:

- **time**: an answer not complete within :attr:`Limits.timeout` seconds is dropped and the client
  gets ``504 Gateway Timeout`` saying so. A read-only server process that was evaluating it is
  replaced by a fresh one on the same store (:meth:`adminkg.serve.Server.replacement`); the old
  one finishes the requests it holds and is stopped, so a runaway query cannot keep a core busy.
  Writes (SPARQL Update, Graph Store uploads) have no time limit.
- **size**: an answer larger than :attr:`Limits.max_result_bytes` is not sent: ``500 Internal
  Server Error`` (SPARQL 1.1 Protocol: the service refuses the query request) saying so.
  Answers are read whole before they are sent, so an answer is never cut silently.
- **concurrency**: a fixed pool of :attr:`Limits.workers` threads answers requests; up to
  :attr:`Limits.waiting` more connections wait for one; beyond that a connection is answered
  ``503 Service Unavailable`` with ``Retry-After`` at once. A worker closes a keep-alive
  connection when others wait, so waiting connections are served in turn. Of the requests the
  workers hold, :attr:`Limits.queries` are sent to the server at once (default: one per core);
  the others wait for one to end, and their time limit starts when they are sent. (Sixteen
  queries at once on two cores each took eight times as long, so the slower ones ran past the
  time limit: a load of 50 clients on 2,000 generated documents got 33 answers 504.) A request
  waits for a slot at most :attr:`Limits.timeout` seconds too: then it is answered ``503 Service
  Unavailable`` with ``Retry-After``, saying how long it waited and for what — never left to wait
  until its client gives up (on 100,000 generated documents, 50 clients on 2 cores waited minutes).

Errors are plain text, one line: ``STATUS PHRASE: what happened and what to do``.
"""
from __future__ import annotations

import contextlib
import http.client
import os
import queue
import socket
import sys
import threading
import time
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, HTTPServer

from .errors import AdminKGError
from .serve import HOST, Server

DEFAULT_TIMEOUT = 60.0  # seconds a query may run
DEFAULT_MAX_RESULT_BYTES = 16 * 2**20  # the largest library answer on data/ttl: site-evidence, 4.6 MB of JSON
DEFAULT_WORKERS = 16  # requests answered at once
DEFAULT_QUERIES = os.cpu_count() or 1  # requests sent to the SPARQL server at once: one per core
WAITING_PER_WORKER = 16  # connections that may wait for a worker, per worker
RETRY_AFTER = 1  # seconds a refused client is told to wait
IDLE_SECONDS = 30.0  # a client connection that sends nothing this long is closed
BACKSTOP_SECONDS = 5  # the oxigraph server's own timeout comes this much later than the gateway's
WATCH_SECONDS = 0.5  # how often the current oxigraph process is checked
CHUNK = 64 * 1024
# Headers of the server's answer the gateway passes on (it sets Content-Length itself).
PASSED_ON = ("Content-Type", "Content-Disposition", "Content-Location", "Location", "Vary", "Link")


@dataclass(frozen=True)
class Limits:
    """What the gateway allows one request and how many it answers at once."""

    timeout: float = DEFAULT_TIMEOUT
    max_result_bytes: int = DEFAULT_MAX_RESULT_BYTES
    workers: int = DEFAULT_WORKERS
    queries: int = DEFAULT_QUERIES

    @property
    def waiting(self) -> int:
        return self.workers * WAITING_PER_WORKER

    @property
    def server_timeout(self) -> float:
        """The timeout given to the oxigraph server itself: later than the gateway's, a backstop."""
        return self.timeout + BACKSTOP_SECONDS


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()


def failure(status: int, message: str, headers: tuple[tuple[str, str], ...] = ()) -> Answer:
    """A plain-text error answer ``STATUS PHRASE: message``."""
    body = f"{status} {HTTPStatus(status).phrase}: {message}\n".encode()
    return Answer(status, body, (("Content-Type", "text/plain; charset=utf-8"), *headers))


class Busy(Exception):
    """No slot of a :class:`Backend` came free within the wait allowed."""


class Backend:
    """The oxigraph server processes the gateway forwards to: the current one, and retired ones
    that still answer requests sent to them before they were replaced (each is stopped when its
    last request ends). *replaceable*: a timed-out request retires its process (read-only only).
    *queries*: requests sent to them at once; a :meth:`lease` waits for one of these slots."""

    def __init__(self, server: Server, *, replaceable: bool, queries: int = DEFAULT_QUERIES):
        self.queries = queries
        self._slots = threading.BoundedSemaphore(queries)
        self._lock = threading.Lock()
        self._current = server
        self._active: dict[Server, int] = {server: 0}
        self._replacing: set[Server] = set()
        self.replaceable = replaceable and not server.writable
        self.replacements = 0
        self._closed = False

    @property
    def current(self) -> Server:
        return self._current

    @contextlib.contextmanager
    def lease(self, wait: float | None = None):
        """The current server, once one of the slots is free, counted busy while the block runs;
        :class:`Busy` when none is free within *wait* seconds (``None``: as long as it takes)."""
        if not self._slots.acquire(timeout=wait):
            raise Busy
        try:
            with self._lease() as server:
                yield server
        finally:
            self._slots.release()

    @contextlib.contextmanager
    def _lease(self):
        with self._lock:
            server = self._current
            self._active[server] += 1
        try:
            yield server
        finally:
            with self._lock:
                idle = False
                if server in self._active:  # not after close()
                    self._active[server] -= 1
                    idle = server is not self._current and self._active[server] == 0
                    if idle:
                        del self._active[server]
            if idle:
                server.stop()

    def retire(self, server: Server) -> None:
        """Replace *server* by a fresh process if it is still the current one (a request on it ran
        past its time, or it died); the old one is stopped when its last request ends. Nothing
        happens when the backend is not replaceable or another request replaces it already."""
        if not self.replaceable:
            return
        with self._lock:
            if server is not self._current or server in self._replacing:
                return
            self._replacing.add(server)
        try:
            fresh = server.replacement()
        except AdminKGError as exc:
            print(f"adminkg serve: could not start a fresh oxigraph server: {exc}", file=sys.stderr, flush=True)
            with self._lock:
                self._replacing.discard(server)
            return
        with self._lock:
            self._replacing.discard(server)
            closed, idle = self._closed, False
            if not closed:
                self._current = fresh
                self._active[fresh] = 0
                idle = self._active[server] == 0
                if idle:
                    del self._active[server]
                self.replacements += 1
        if closed:  # closed while the fresh one started: nobody else would stop it
            fresh.stop()
        elif idle:
            server.stop()

    def processes(self) -> list[Server]:
        """The server processes running now (the current one last)."""
        with self._lock:
            return sorted(self._active, key=lambda s: s is self._current)

    def watch(self) -> int | None:
        """Check the current process: replace it when it died (read-only); its exit code when it
        died and cannot be replaced, else ``None``."""
        server = self._current
        code = server.process.poll()
        if code is None:
            return None
        if not self.replaceable:
            return code
        print(f"adminkg serve: the oxigraph server stopped (exit {code}); starting a fresh one",
              file=sys.stderr, flush=True)
        self.retire(server)
        return None if self._current is not server else code

    def wait(self) -> int:
        """Watch the current process until it dies and cannot be replaced; its exit code."""
        while (code := self.watch()) is None:
            time.sleep(WATCH_SECONDS)
        return code

    def close(self) -> None:
        """Stop every process; the current one last (it holds the temporary store)."""
        with self._lock:
            self._closed = True
            servers = sorted(self._active, key=lambda s: s is self._current)
            self._active.clear()
        for server in servers:
            server.stop()


class _Body:
    """The first *length* bytes of a stream, read in blocks by :mod:`http.client`."""

    def __init__(self, stream, length: int):
        self.stream, self.left = stream, length

    def read(self, size: int = -1) -> bytes:
        size = self.left if size < 0 else min(size, self.left)
        data = self.stream.read(size) if size else b""
        self.left -= len(data)
        return data


def _arm(conn: http.client.HTTPConnection, deadline: float | None) -> None:
    """Let the next socket read wait only until *deadline*."""
    if deadline is None or conn.sock is None:
        return
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError
    conn.sock.settimeout(left)


def exchange(backend: Backend, limits: Limits, method: str, target: str, headers: dict[str, str],
             body=None, *, timed: bool = True) -> Answer:
    """Send one request to the current server, once a slot is free (:meth:`Backend.lease`), and
    read its whole answer within the limits, the time counted from the sending: the answer, or the
    gateway's error (504 past the time limit when *timed*, 500 past the size limit, 502 when the
    server does not answer, 503 when no slot came free within the time limit)."""
    try:
        return _exchange(backend, limits, method, target, headers, body, timed=timed)
    except Busy:
        return failure(503, f"the server is busy: it runs {backend.queries} queries at once and this request waited "
                            f"{limits.timeout:g} s (adminkg serve --timeout) for one of them to end; try again later",
                       (("Retry-After", str(RETRY_AFTER)),))


def _exchange(backend: Backend, limits: Limits, method: str, target: str, headers: dict[str, str],
              body=None, *, timed: bool = True) -> Answer:
    answer, stuck = None, None
    with backend.lease(limits.timeout if timed else None) as server:
        deadline = time.monotonic() + limits.timeout if timed else None
        conn = http.client.HTTPConnection(HOST, server.port, timeout=limits.timeout if timed else None)
        try:
            conn.request(method, target, body=body, headers=headers)
            _arm(conn, deadline)
            resp = conn.getresponse()
            length = resp.getheader("Content-Length")
            if length and length.isdigit() and int(length) > limits.max_result_bytes:
                return _too_large(limits)
            parts, size = [], 0
            while method != "HEAD":
                _arm(conn, deadline)
                part = resp.read1(CHUNK)
                if not part:
                    break
                size += len(part)
                if size > limits.max_result_bytes:
                    return _too_large(limits)
                parts.append(part)
            kept = tuple((k, v) for k in PASSED_ON if (v := resp.getheader(k)) is not None)
            return Answer(resp.status, b"".join(parts), kept)
        except TimeoutError:
            stuck = server
            answer = failure(504, f"the query ran past the time limit of {limits.timeout:g} s (adminkg serve "
                                  "--timeout) and was stopped; narrow it (more specific patterns, a LIMIT) or serve "
                                  "with a longer --timeout")
        except (http.client.HTTPException, OSError) as exc:
            if server.process.poll() is not None:
                stuck = server  # it died: replace it too
            answer = failure(502, f"the SPARQL server did not answer: {exc or type(exc).__name__}")
        finally:
            conn.close()
    if stuck is not None:
        backend.retire(stuck)  # after its lease ended: the old process stops once idle
    return answer


def _too_large(limits: Limits) -> Answer:
    return failure(500, f"the result is larger than the limit of {limits.max_result_bytes:,} bytes (adminkg serve "
                        "--max-result-bytes) and was not sent; add a LIMIT, select fewer rows or columns, or "
                        "download a dump")


class PooledHTTPServer(HTTPServer):
    """An HTTP server answered by a fixed pool of worker threads (not a thread per connection);
    connections beyond those waiting for a worker are answered 503 with Retry-After at once."""

    request_queue_size = 128  # the listening socket's backlog

    def __init__(self, address, handler, backend: Backend, limits: Limits):
        self.backend = backend
        self.limits = limits
        self._waiting: queue.Queue = queue.Queue(maxsize=limits.waiting)
        super().__init__(address, handler)
        self._workers = [threading.Thread(target=self._work, name=f"adminkg-gateway-{i}", daemon=True)
                         for i in range(limits.workers)]
        for worker in self._workers:
            worker.start()

    def process_request(self, request, client_address):
        try:
            self._waiting.put_nowait((request, client_address))
        except queue.Full:
            self._refuse(request)
            self.shutdown_request(request)

    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], OSError):  # a client that went away is no error of ours
            super().handle_error(request, client_address)

    def crowded(self) -> bool:
        """Whether connections wait for a worker."""
        return not self._waiting.empty()

    def _work(self) -> None:
        while True:
            item = self._waiting.get()
            if item is None:
                return
            request, client_address = item
            try:
                self.finish_request(request, client_address)
            except Exception:  # noqa: BLE001 - one broken connection must not end the worker
                self.handle_error(request, client_address)
            finally:
                self.shutdown_request(request)

    def _refuse(self, request: socket.socket) -> None:
        """Answer 503 on the accepting thread, having read what the client sent (unread data
        would turn the close into a reset that loses the answer)."""
        answer = failure(503, f"the server answers {self.limits.workers} requests at once and "
                              f"{self.limits.waiting} more are waiting; try again in {RETRY_AFTER} s",
                         (("Retry-After", str(RETRY_AFTER)), ("Connection", "close")))
        head = "".join(f"{k}: {v}\r\n" for k, v in answer.headers)
        data = (f"HTTP/1.1 {answer.status} {HTTPStatus(answer.status).phrase}\r\n{head}"
                f"Content-Length: {len(answer.body)}\r\n\r\n").encode() + answer.body
        try:
            request.settimeout(0.5)
            with contextlib.suppress(OSError):
                request.recv(CHUNK)
            request.sendall(data)
        except OSError:
            pass

    def server_close(self) -> None:
        super().server_close()
        while True:  # close the connections still waiting, then end the workers
            try:
                item = self._waiting.get_nowait()
            except queue.Empty:
                break
            if item is not None:
                self.shutdown_request(item[0])
        for _ in self._workers:
            self._waiting.put(None)


class GatewayHandler(BaseHTTPRequestHandler):
    """Answers, errors and forwarding to the backend, for the gateway and the site's front."""

    server: PooledHTTPServer
    protocol_version = "HTTP/1.1"
    timeout = IDLE_SECONDS

    def log_message(self, format, *args):  # noqa: A002 - the stdlib's name
        pass

    def handle_one_request(self):
        super().handle_one_request()
        if self.server.crowded():
            self.close_connection = True  # let a waiting connection have this worker

    def _send(self, status: int, body: bytes = b"", content_type: str | None = None, headers: dict | None = None,
              head: bool = False) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _error(self, status: int, message: str, head: bool = False, headers: dict | None = None) -> None:
        answer = failure(status, message)
        self._send(status, answer.body, dict(answer.headers)["Content-Type"], headers, head)

    def _answer(self, answer: Answer, head: bool = False) -> None:
        headers = dict(answer.headers)
        kind = headers.pop("Content-Type", None)
        self._send(answer.status, answer.body, kind, headers, head)

    def _length(self) -> int | None:
        """The length of the request's body (0 without one); ``None`` after answering 411 to a body
        of unknown length (chunked) or 400 to a Content-Length that is no number."""
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            self._error(411, "send the request body with a Content-Length")
        else:
            text = (self.headers.get("Content-Length") or "0").strip()
            if text.isdigit():
                return int(text)
            self._error(400, f"Content-Length {text!r} is no number of bytes")
        self.close_connection = True
        return None

    def forward(self, method: str, target: str, body=None, *, timed: bool = True, head: bool = False) -> None:
        """Forward the request to the server (*target*: path and query string) and send its answer."""
        headers = {k: v for k in ("Accept", "Content-Type") if (v := self.headers.get(k))}
        if body is not None:
            headers["Content-Length"] = str(body.left if isinstance(body, _Body) else len(body))
        self._answer(exchange(self.server.backend, self.server.limits, method, target, headers, body, timed=timed),
                     head)


class Handler(GatewayHandler):
    """The plain gateway: every request goes to the server (``/query``; with a writable store also
    ``/update`` and ``/store``). Reads are timed; writes are not."""

    def _pass(self, method: str) -> None:
        length = self._length()
        if length is None:
            return
        body = _Body(self.rfile, length) if length else None
        path = self.path.split("?", 1)[0].rstrip("/")
        timed = method in ("GET", "HEAD") or path == "/query"
        self.forward(method, self.path, body, timed=timed, head=method == "HEAD")

    def do_GET(self):  # noqa: N802 - the stdlib's names
        self._pass("GET")

    def do_HEAD(self):  # noqa: N802
        self._pass("HEAD")

    def do_POST(self):  # noqa: N802
        self._pass("POST")

    def do_PUT(self):  # noqa: N802
        self._pass("PUT")

    def do_DELETE(self):  # noqa: N802
        self._pass("DELETE")


def start_gateway(backend: Backend, limits: Limits, *, host: str, port: int) -> PooledHTTPServer:
    """Serve the gateway to *backend* on *host*:*port* (0: a free port) in a thread."""
    gateway = PooledHTTPServer((host, port), Handler, backend, limits)
    threading.Thread(target=gateway.serve_forever, name="adminkg-gateway", daemon=True).start()
    return gateway
