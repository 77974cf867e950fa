"""The publish-and-query test against OpenLink Virtuoso 7 (Debian's virtuoso-opensource, installed by
`make test`): a private instance on free loopback ports, `adminkg publish` through its authenticated
Graph Store endpoint (HTTP Digest), every library query there and embedded, the same answers."""
from __future__ import annotations

import re

import pytest

from adminkg import paths
from adminkg.errors import EndpointError
from adminkg.publish import DEFAULT_GRAPH, publish
from adminkg.queries import library
from adminkg.query import run
from adminkg.store import open_store

from .conftest import run_cli
from .test_endpoints import assert_same_answers
from .virtuoso import Virtuoso, virtuoso_available

pytestmark = pytest.mark.skipif(not virtuoso_available(),
                                reason="virtuoso-t not installed (make sysdeps installs virtuoso-opensource)")

DATA = paths.DATA_TTL_DIR


@pytest.fixture(scope="module")
def embedded():
    return open_store(DATA)


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    with Virtuoso(tmp_path_factory.mktemp("virtuoso")) as server:
        yield server


@pytest.fixture(scope="module")
def published(virtuoso):
    done = run_cli("publish", "--endpoint", virtuoso.gsp_url, "--user", virtuoso.user, "--password",
                   virtuoso.password, "--query-endpoint", virtuoso.sparql_url, "--chunk", "20000")
    assert done.returncode == 0, done.stderr
    return done


def test_publish_through_the_authenticated_graph_store(published, embedded):
    total = len(embedded)
    assert f"published {total:,} triples" in published.stdout and "(gsp," in published.stdout
    assert f"the endpoint holds {total:,} triples" in published.stdout
    assert re.findall(r"published [\d,]+/[\d,]+ triples", published.stderr)


@pytest.mark.parametrize("query", library(), ids=lambda q: q.name)
def test_every_query_gives_the_same_answer_on_virtuoso(query, published, virtuoso, embedded):
    assert_same_answers(query.name, embedded, virtuoso.sparql_url)


@pytest.mark.parametrize("name, params", [
    ("agency-partners", {"agency": "한국토지주택공사"}),
    ("cases-by-technology", {"tech": "AI", "year": "2019"}),
    ("awards-by-contest", {"year": "2021"}),
    ("departments-that-win", {"grade": "최우수"}),
])
def test_korean_and_numeric_parameters_on_virtuoso(name, params, published, virtuoso, embedded):
    assert len(run(name, params=params, store=embedded)) > 0
    assert_same_answers(name, embedded, virtuoso.sparql_url, params)


@pytest.mark.parametrize("chunk", [1_000, 1_000_000])
def test_wrong_password_is_a_clear_error(virtuoso, chunk):
    """Refused credentials say 401, also on an upload so large that the server closes the connection
    before reading it (broken pipe or reset, whichever the timing gives)."""
    with pytest.raises(EndpointError, match="401") as refused:
        publish(virtuoso.gsp_url, graph="https://example.org/never", user=virtuoso.user, password="wrong",
                chunk_size=chunk)
    assert refused.value.status == 401


def test_cli_endpoint_on_virtuoso(published, virtuoso):
    args = ("query", "cases-per-province", "--format", "csv")
    remote = run_cli(*args, "--endpoint", virtuoso.sparql_url, "--graph", DEFAULT_GRAPH)
    local = run_cli(*args, "--data", str(DATA))
    assert remote.returncode == 0 == local.returncode, remote.stderr
    assert sorted(remote.stdout.splitlines()) == sorted(local.stdout.splitlines())
    assert len(local.stdout.splitlines()) == 18


def test_one_large_upload_with_credentials_sent_up_front(published, virtuoso, embedded):
    """Virtuoso answers 401 before reading a body and resets a large upload: the client sends its
    Digest credentials with the first request (a 7 MB PUT here), and reads the graph back to count."""
    report = publish(virtuoso.gsp_url, user=virtuoso.user, password=virtuoso.password, chunk_size=1_000_000)
    assert report.chunks == 1 and report.remote_triples == len(embedded)
