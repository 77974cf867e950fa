"""`adminkg serve` under a bounded load, with real servers (the command in a child process, the
oxigraph server it starts) on loopback, over a store of data/ttl built once for the module.

- 50 client threads send 2,000 library queries with parameters the graph holds (the workload of
  benchmarks/serve_load.py): every answer is 200 with SPARQL JSON results of the row count the
  embedded store gives;
- a query past --timeout is answered 504 naming the limit, the oxigraph process that was evaluating
  it is stopped (replaced by a fresh one), and the server answers afterwards;
- an answer past --max-result-bytes is refused with 500 naming the limit, and the server answers
  afterwards;
- of the requests its workers hold, --queries are sent to the oxigraph server at once, the others
  wait (a backend's slots), at most the time limit: then they are answered 503;
- with its workers busy and its waiting room full, the server answers 503 with Retry-After at
  once, and serves the waiting connections when a worker is free;
- a writable server takes SPARQL Update and Graph Store writes through the gateway, and a request
  body of no stated length is a clear error.
"""
from __future__ import annotations

import importlib.util
import json
import socket
import sys
import threading
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from adminkg.store import build_store, memory_store, turtle_files, with_reference

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "ttl"
spec = importlib.util.spec_from_file_location("serve_load", ROOT / "benchmarks" / "serve_load.py")
serve_load = sys.modules.setdefault("serve_load", importlib.util.module_from_spec(spec))
spec.loader.exec_module(serve_load)

CLIENTS, QUERIES = 50, 2000
# Three triple patterns with nothing in common: ~10^15 solutions to count, which Oxigraph does not
# stop at its own timeout.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
EVERYTHING = "SELECT * WHERE { ?s ?p ?o }"  # about 24 MB of JSON on data/ttl
LIMITED = ("--timeout", "2", "--max-result-bytes", "1000000", "--workers", "1")


@pytest.fixture(scope="module")
def build(tmp_path_factory) -> Path:
    """A build folder holding only the store of data/ttl (with the ontology and gazetteer)."""
    out = tmp_path_factory.mktemp("served")
    build_store(out / "store", with_reference(turtle_files(DATA)))
    return out


@pytest.fixture(scope="module")
def store():
    return memory_store(with_reference(turtle_files(DATA)))


@pytest.fixture(scope="module")
def served(build):
    """The server with its default limits."""
    with serve_load.Served(build) as server:
        yield server
        assert server.stop() == 0


@pytest.fixture(scope="module")
def limited(build):
    """A server with small limits: 2 s a query, 1 MB an answer, one worker (16 connections may wait)."""
    with serve_load.Served(build, *LIMITED) as server:
        yield server
        assert server.stop() == 0


def oxigraph_children(pid: int) -> list[int]:
    """The oxigraph processes *pid* started (from any of its threads)."""
    tasks = Path(f"/proc/{pid}/task")
    if not tasks.is_dir():
        pytest.skip("no /proc here to list a process's children")
    children = [int(c) for t in tasks.iterdir() for c in (t / "children").read_text().split()]
    return [c for c in children if "oxigraph" in Path(f"/proc/{c}/cmdline").read_bytes().decode(errors="replace")]


def library_query_answers(url: str, store) -> None:
    request = serve_load.workload(store, 1, seed=7)[0]
    status, _, body = serve_load.post(url, request.text)
    assert status == 200 and serve_load.check(body, request.rows) is None


def test_fifty_clients_two_thousand_library_queries_without_error(served, store):
    requests = serve_load.workload(store, QUERIES)
    assert len({r.name for r in requests}) == len(serve_load.LOAD)  # every query of the load is asked
    assert sum(r.rows > 0 for r in requests) > QUERIES // 2  # and most find something
    outcome = serve_load.load(served.url, requests, CLIENTS)
    assert outcome.errors == []
    assert outcome.rows == sum(r.rows for r in requests)
    assert all(latency > 0 for latency in outcome.latencies)  # every query was sent and answered


def test_a_query_past_the_timeout_is_stopped_with_a_clear_error(limited, store):
    before = oxigraph_children(limited.process.pid)
    assert len(before) == 1
    status, headers, body = serve_load.post(limited.url, RUNAWAY)
    message = body.decode()
    assert status == 504 and headers["Content-Type"].startswith("text/plain")
    assert "time limit of 2 s" in message and "--timeout" in message
    assert serve_load.cut_by_limit(status, body).startswith("504 Gateway Timeout")  # counted as cut, no error
    after = oxigraph_children(limited.process.pid)
    assert len(after) == 1 and after != before  # the process still counting was stopped, a fresh one serves
    library_query_answers(limited.url, store)


def test_an_answer_past_the_size_limit_is_refused_with_a_clear_error(limited, store):
    status, headers, body = serve_load.post(limited.url, EVERYTHING)
    message = body.decode()
    assert status == 500 and headers["Content-Type"].startswith("text/plain")
    assert "larger than the limit of 1,000,000 bytes" in message and "--max-result-bytes" in message
    assert serve_load.cut_by_limit(status, body).startswith("500 Internal Server Error")
    library_query_answers(limited.url, store)
    status, _, body = serve_load.post(limited.url, EVERYTHING + " LIMIT 10")
    assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 10


def _raw_request(url: str, text: str) -> bytes:
    parts = urllib.parse.urlsplit(url)
    body = urllib.parse.urlencode({"query": text}).encode()
    return (f"POST {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\nAccept: {serve_load.ACCEPT}\r\n"
            f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n"
            "Connection: close\r\n\r\n").encode() + body


def _read_all(sock: socket.socket) -> bytes:
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def test_a_full_server_answers_503_with_retry_after_and_serves_the_waiting(limited, store):
    host, port = urllib.parse.urlsplit(limited.url).netloc.split(":")
    # A connection that sends nothing holds the only worker (until it closes or idles out).
    holder = socket.create_connection((host, int(port)), timeout=60)
    clients = []
    try:
        for _ in range(20):  # 16 may wait: some are refused (how many depends on when the worker took the holder)
            sock = socket.create_connection((host, int(port)), timeout=60)
            sock.sendall(_raw_request(limited.url, "ASK { ?s ?p ?o }"))
            clients.append(sock)
    finally:
        holder.close()  # the worker is free: the waiting connections are served in turn
    answers = []
    for sock in clients:
        with sock:
            answers.append(_read_all(sock))
    refused = [a for a in answers if a.startswith(b"HTTP/1.1 503 ")]
    served = [a for a in answers if a.startswith(b"HTTP/1.1 200 ")]
    assert refused and served and len(refused) + len(served) == len(answers)
    for answer in refused:
        head, _, text = answer.partition(b"\r\n\r\n")
        assert b"\r\nRetry-After: 1\r\n" in head and b"try again in 1 s" in text
    for answer in served:
        assert json.loads(answer.partition(b"\r\n\r\n")[2]) == {"head": {}, "boolean": True}
    library_query_answers(limited.url, store)


def test_a_writable_server_takes_writes_through_the_gateway():
    with serve_load.Served(None, "--writable") as server:
        base = server.url.rsplit("/", 1)[0]
        turtle = "".join(f"<urn:s{i}> <urn:p> {i} .\n" for i in range(20_000)).encode()  # larger than a block
        put = urllib.request.Request(f"{base}/store?graph=urn:g", data=turtle, method="PUT",
                                     headers={"Content-Type": "text/turtle"})
        with urllib.request.urlopen(put, timeout=60) as resp:
            assert resp.status in (200, 201, 204)
        update = urllib.request.Request(f"{base}/update", data=b"INSERT DATA { <urn:a> <urn:b> <urn:c> }",
                                        headers={"Content-Type": "application/sparql-update"})
        with urllib.request.urlopen(update, timeout=60) as resp:
            assert resp.status == 204
        status, _, body = serve_load.post(server.url, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        assert status == 200 and json.loads(body)["results"]["bindings"][0]["n"]["value"] == "20001"
        host, port = urllib.parse.urlsplit(server.url).netloc.split(":")
        with socket.create_connection((host, int(port)), timeout=60) as sock:
            sock.sendall(b"POST /update HTTP/1.1\r\nHost: x\r\nContent-Length: lots\r\n\r\n")
            answer = _read_all(sock)
        assert answer.startswith(b"HTTP/1.1 400 ") and b"Content-Length 'lots' is no number" in answer
        assert server.stop() == 0


def test_a_backend_sends_its_server_at_most_its_queries_at_once():
    from adminkg.gateway import Backend

    class Idle:  # a server process that is never replaced
        writable = False

    backend = Backend(Idle(), replaceable=False, queries=2)
    sent = threading.Event()

    def third():
        with backend.lease():
            sent.set()

    with backend.lease(), backend.lease():
        waiting = threading.Thread(target=third)
        waiting.start()
        assert not sent.wait(0.5)  # both slots are taken: the third request waits
    assert sent.wait(10)  # and is sent once one is free
    waiting.join()


def test_a_replacement_started_while_the_backend_closes_is_stopped_too():
    """A timed-out request retires its process while the server shuts down: the fresh process,
    started after close() stopped the others, is stopped as well, not left running (the 100k
    benchmark's served load left one such oxigraph process behind)."""
    from adminkg.gateway import Backend

    class Process:
        def __init__(self):
            self.stopped = False
            self.process = self

        def poll(self):
            return 0 if self.stopped else None

        def stop(self):
            self.stopped = True

    class Slow(Process):  # its replacement starts while the backend closes
        writable = False

        def replacement(self):
            backend.close()
            self.fresh = Process()
            return self.fresh

    old = Slow()
    backend = Backend(old, replaceable=True, queries=1)
    backend.retire(old)
    assert old.stopped and old.fresh.stopped and backend.processes() == []


def test_a_request_waits_for_a_slot_at_most_the_time_limit_then_is_answered_503():
    from adminkg.gateway import Backend, Limits, exchange

    class Idle:  # a server process that is never replaced (and never sent anything here)
        writable = False

    backend = Backend(Idle(), replaceable=False, queries=1)
    with backend.lease():  # the only slot is taken
        answer = exchange(backend, Limits(timeout=0.3), "POST", "/query", {}, b"ASK {}")
    assert answer.status == 503 and ("Retry-After", "1") in answer.headers
    text = answer.body.decode()
    assert text.startswith(serve_load.CUT[503]) and "runs 1 queries at once" in text and "waited 0.3 s" in text
    with backend.lease(0.1):  # the slot is free again
        pass
