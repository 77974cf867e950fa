"""Remote SPARQL endpoints with a real server: the test starts `oxigraph serve` on a free loopback
port, publishes data/ttl to it with `adminkg publish` (Graph Store Protocol), runs every library
query there and embedded, and compares the answers; then `adminkg serve`, the notebook API, and
the errors (unreachable, error answer, timeout). No mock of any endpoint."""
from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

import adminkg
from adminkg import paths
from adminkg.errors import EndpointError, InputError
from adminkg.publish import DEFAULT_GRAPH
from adminkg.queries import library
from adminkg.query import normalise_term, run
from adminkg.serve import free_port, start
from adminkg.store import open_store

from .conftest import ROOT, run_cli
from .test_queries import HOSTILE

DATA = paths.DATA_TTL_DIR
HEAVY = """# title: A cross product
# description: Never finishes on a real graph: for timeouts.
SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }
"""


def answers(results) -> Counter:
    """The rows as a multiset of normalised terms (engines may break ORDER BY ties differently).
    SPARQL 1.1 leaves GROUP_CONCAT's order to the engine, so '|'-joined lists compare as sets, and
    an empty one is "" on Virtuoso but unbound on Oxigraph, so "" and unbound are one."""
    def term(t):
        norm = normalise_term(t)
        if norm == ("literal", "", "", None):
            return None
        if norm and norm[0] == "literal" and "|" in norm[1]:
            norm = (norm[0], "|".join(sorted(norm[1].split("|"))), *norm[2:])
        return norm

    return Counter(tuple(term(b.get(v)) for v in results.vars) for b in results.bindings)


def assert_same_answers(name: str, embedded, endpoint: str, params: dict | None = None) -> None:
    """The query *name* answers alike on the embedded store and on *endpoint* (the published graph)."""
    local = run(name, params=params, store=embedded)
    remote = run(name, params=params, endpoint=endpoint, default_graph=DEFAULT_GRAPH, timeout=60)
    assert remote.vars == local.vars
    assert answers(remote) == answers(local)


@pytest.fixture(scope="module")
def embedded():
    return open_store(DATA)


@pytest.fixture(scope="module")
def server():
    with start(writable=True, timeout=5) as srv:
        yield srv


@pytest.fixture(scope="module")
def published(server):
    done = run_cli("publish", "--endpoint", server.store_url, "--query-endpoint", server.query_url, "--chunk", "7000")
    assert done.returncode == 0, done.stderr
    return done


def test_publish_reports_progress_and_verifies_the_count(published, embedded):
    total = len(embedded)
    assert f"published {total:,} triples in {-(-total // 7000)} chunk(s) to <{DEFAULT_GRAPH}>" in published.stdout
    assert f"the endpoint holds {total:,} triples" in published.stdout
    steps = re.findall(r"published ([\d,]+)/([\d,]+) triples", published.stderr)
    assert len(steps) == -(-total // 7000) and steps[-1] == (f"{total:,}", f"{total:,}")


@pytest.mark.parametrize("query", library(), ids=lambda q: q.name)
def test_every_query_gives_the_same_answer_embedded_and_remote(query, published, server, embedded):
    assert_same_answers(query.name, embedded, server.query_url)


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_values_stay_one_literal_on_the_endpoint(value, published, server, embedded):
    """The same bound text goes to a writable server: it parses there, matches nothing, changes nothing
    (free-text parameters; one that names a technology or agency refuses it before sending anything)."""
    for name, param in (("collaboration-kinds", "kind"), ("lowest-confidence", "kind")):
        assert len(run(name, params={param: value}, endpoint=server.query_url, default_graph=DEFAULT_GRAPH)) == 0
    with pytest.raises(InputError):
        run("cases-by-technology", params={"tech": value}, endpoint=server.query_url, default_graph=DEFAULT_GRAPH)
    count = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{DEFAULT_GRAPH}> {{ ?s ?p ?o }} }}"
    assert adminkg.open_graph(endpoint=server.query_url).sparql(count).rows[0]["n"] == len(embedded)


def test_cli_endpoint_output_matches_embedded(published, server):
    args = ("query", "cases-by-technology", "--param", "tech=IOT", "--format", "json")
    remote = run_cli(*args, "--endpoint", server.query_url, "--graph", DEFAULT_GRAPH)
    local = run_cli(*args, "--data", str(DATA))
    assert remote.returncode == 0 == local.returncode, remote.stderr + local.stderr
    assert json.loads(remote.stdout) == json.loads(local.stdout)
    assert len(json.loads(local.stdout)["results"]["bindings"]) >= 3


def test_republish_replaces_the_graph(server, published, embedded):
    from adminkg.publish import publish

    report = publish(server.store_url, chunk_size=25_000)
    # chunks of at most 25,000 triples, a few more where a blank node's triples stay together
    least = -(-len(embedded) // 25_000)
    assert report.protocol == "gsp" and report.remote_triples == len(embedded) and least <= report.chunks <= least + 1


def test_publish_falls_back_to_sparql_update(server, embedded):
    from adminkg.publish import publish

    graph = "https://example.org/adminkg-update-test"
    report = publish(server.update_url, graph=graph, query_endpoint=server.query_url)
    assert report.protocol == "update" and report.remote_triples == len(embedded)
    again = run("cases-per-province", endpoint=server.query_url, default_graph=graph)
    assert answers(again) == answers(run("cases-per-province", store=embedded))


def test_unreachable_endpoint_is_a_clear_error():
    url = f"http://127.0.0.1:{free_port()}/query"
    done = run_cli("query", "cases", "--endpoint", url, "--timeout", "5")
    assert done.returncode == 3
    assert url in done.stderr and "unreachable" in done.stderr
    done = run_cli("publish", "--endpoint", url.replace("query", "store"))
    assert done.returncode == 3 and "unreachable" in done.stderr


def test_endpoint_timeout_is_a_clear_error(server, tmp_path):
    heavy = tmp_path / "heavy.rq"
    heavy.write_text(HEAVY, encoding="utf-8")
    started = time.monotonic()
    done = run_cli("query", str(heavy), "--endpoint", server.query_url, "--timeout", "1")
    assert done.returncode == 3
    assert "timed out (after 1 s)" in done.stderr and server.query_url in done.stderr
    assert time.monotonic() - started < 20


def test_embedded_timeout_is_a_clear_error(tmp_path):
    heavy = tmp_path / "heavy.rq"
    heavy.write_text(HEAVY, encoding="utf-8")
    done = run_cli("query", str(heavy), "--data", str(DATA), "--timeout", "1")
    assert done.returncode == 3 and "no answer within 1 s" in done.stderr


def test_error_answer_is_reported(server, tmp_path):
    bad = tmp_path / "bad.rq"
    bad.write_text("# title: broken\n# description: not SPARQL\nSELECT ?x WHERE { ?x ?y }\n", encoding="utf-8")
    done = run_cli("query", str(bad), "--endpoint", server.query_url)
    assert done.returncode == 3 and "answered an error" in done.stderr


def test_bad_endpoint_url_is_a_usage_error():
    done = run_cli("query", "cases", "--endpoint", "localhost:7878/query")
    assert done.returncode == 2 and "not an endpoint URL" in done.stderr


def test_serve_is_read_only_and_stops(tmp_path):
    port = free_port()
    exe = Path(sys.executable).parent / "adminkg"
    proc = subprocess.Popen([str(exe), "serve", "--data", str(DATA), "--port", str(port), "--timeout", "5"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        first = proc.stdout.readline()
        url = f"http://127.0.0.1:{port}/query"
        assert url in first and "read-only" in first
        rows = run("cases-per-province", endpoint=url).rows
        assert len(rows) == 17
        from adminkg.endpoint import Http

        with pytest.raises(EndpointError) as refused:
            Http(url).request("POST", f"http://127.0.0.1:{port}/update", b"DROP ALL", "application/sparql-update")
        assert refused.value.status >= 400
        assert len(run("cases-per-province", endpoint=url).rows) == 17
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            assert proc.wait(60) == 0
        finally:
            if proc.poll() is None:  # a failed stop leaves no server behind
                proc.kill()
    with pytest.raises(EndpointError, match="unreachable"):
        run("cases", endpoint=url, timeout=5)


def test_ctrl_c_stops_serve_even_where_the_parent_ignored_it():
    """A process started in the background of a script inherits SIGINT ignored, and Python leaves it
    so: serve stops on it all the same (the full suite's pytest process had it ignored once)."""
    port = free_port()
    exe = Path(sys.executable).parent / "adminkg"
    proc = subprocess.Popen([str(exe), "serve", "--data", str(DATA), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
    assert "read-only" in proc.stdout.readline()
    proc.send_signal(signal.SIGINT)
    try:
        assert proc.wait(60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()


def test_serve_stops_its_server_on_sigterm():
    """A service manager stops with SIGTERM: the oxigraph child and the temporary store go too."""
    port = free_port()
    exe = Path(sys.executable).parent / "adminkg"
    proc = subprocess.Popen([str(exe), "serve", "--data", str(DATA), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    assert "read-only" in proc.stdout.readline()
    proc.terminate()
    assert proc.wait(60) == 0
    with pytest.raises(EndpointError, match="unreachable"):
        run("cases", endpoint=f"http://127.0.0.1:{port}/query", timeout=5)


def test_notebook_api_embedded_and_remote(published, server):
    kg = adminkg.open_graph(DATA)
    result = kg.query("cases-by-technology", tech="AI", year=2019)
    assert result.rows and all(row["year"] == 2019 for row in result.rows)
    assert isinstance(kg.sparql("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0]["n"], int)
    remote = adminkg.open_graph(endpoint=server.query_url, graph=DEFAULT_GRAPH)
    assert remote.query("cases-by-technology", tech="AI", year=2019).rows == result.rows
    try:
        import pandas  # noqa: F401
    except ImportError:
        with pytest.raises(ImportError, match="pip install pandas"):
            result.to_dataframe()
    else:
        frame = result.to_dataframe()
        assert list(frame.columns) == result.vars and len(frame) == len(result)


def test_query_help_names_endpoint_options():
    done = run_cli("query", "--help")
    for option in ("--endpoint", "--timeout", "--graph", "--param", "--format"):
        assert option in done.stdout


def test_publish_refuses_a_graph_name_that_is_no_iri():
    """The graph IRI goes into SPARQL Update text: one that would break out of <…> is refused first."""
    done = run_cli("publish", "--endpoint", f"http://127.0.0.1:{free_port()}/store",
                   "--graph", "http://example.org/g> } ; DROP ALL ; INSERT DATA { GRAPH <http://x")
    assert done.returncode == 2 and "not a valid IRI" in done.stderr
