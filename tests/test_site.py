"""The published site as people and programs meet it: `adminkg export` of a small graph of our own
(tests/fixtures/lod, with the gazetteer and vocabularies), served by `adminkg serve --site` on a
free loopback port, then

- content negotiation with real HTTP requests: each Accept, suffixes, the 303 from /id/ to /doc/
  with its Location and Vary, 404 for unknown resources, 406, the read-only SPARQL endpoint and
  its service description;
- a crawler that follows every link of every page and finds none broken;
- headless Chromium (Debian's chromium) showing a case page, the label search and a label that
  holds <script>; screenshots are written to the test's temporary folder (ADMINKG_SCREENSHOTS=DIR
  keeps them there instead).
"""
from __future__ import annotations

import html.parser
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from adminkg.serve import free_port

from .browser import Browser, chromium
from .conftest import ROOT, run_cli

FIXTURE = ROOT / "tests" / "fixtures" / "lod"
CASE = "case/41250-aaaaaaaaaaa1"
BASE = "https://w3id.org/adminkg/"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def fetch(url: str, accept: str | None = None, data: bytes | None = None, content_type: str | None = None):
    """(status, headers, body) of one request; redirects are not followed."""
    req = urllib.request.Request(url, data=data)
    if accept is not None:
        req.add_header("Accept", accept)
    if content_type:
        req.add_header("Content-Type", content_type)
    try:
        with OPENER.open(req, timeout=30) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("lod") / "site"
    done = run_cli("export", "--data", str(FIXTURE), "--out", str(out))
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="module")
def served(site):
    port = free_port()
    exe = Path(sys.executable).parent / "adminkg"
    process = subprocess.Popen([str(exe), "serve", "--site", str(site), "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if fetch(url + "/index.html")[0] == 200:
                break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"adminkg serve --site did not start: {process.stderr.read()}")
        time.sleep(0.1)
    yield url
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(10)


# -- content negotiation -------------------------------------------------------------------------
def test_thing_iri_answers_303_to_its_document(served):
    status, headers, body = fetch(f"{served}/id/{CASE}", accept="text/turtle")
    assert status == 303
    assert headers["Location"] == f"/doc/{CASE}"
    assert "Accept" in headers["Vary"]
    assert body == b""
    for path, doc in (("vocab/technology/DRONE", "doc/vocab/technology/DRONE"), ("ontology", "doc/ontology"),
                      ("id/agency/41250", "doc/agency/41250")):
        status, headers, _ = fetch(f"{served}/{path}")
        assert (status, headers["Location"]) == (303, f"/{doc}"), path


@pytest.mark.parametrize("accept, media", [
    ("text/html", "text/html"),
    ("text/turtle", "text/turtle"),
    ("application/ld+json", "application/ld+json"),
    ("application/n-triples", "application/n-triples"),
    ("text/turtle;q=0.5, application/ld+json;q=0.9", "application/ld+json"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),  # a browser
    ("*/*", "text/html"),
    (None, "text/html"),
])
def test_document_by_accept(served, accept, media):
    status, headers, body = fetch(f"{served}/doc/{CASE}", accept=accept)
    assert status == 200
    assert headers["Content-Type"].split(";")[0] == media
    assert "Accept" in headers["Vary"]
    suffix = {"text/html": "html", "text/turtle": "ttl", "application/ld+json": "jsonld",
              "application/n-triples": "nt"}[media]
    assert headers["Content-Location"] == f"/doc/{CASE}.{suffix}"
    if media != "text/html":
        fmt = {"text/turtle": "turtle", "application/ld+json": "json-ld", "application/n-triples": "nt"}[media]
        graph = Graph().parse(data=body.decode("utf-8"), format=fmt)
        assert (URIRef(f"{BASE}id/{CASE}"), URIRef("https://w3id.org/adminkg/ontology#leadAgency"),
                URIRef(f"{BASE}id/agency/41250")) in graph


@pytest.mark.parametrize("suffix, media", [("ttl", "text/turtle"), ("jsonld", "application/ld+json"),
                                           ("nt", "application/n-triples"), ("html", "text/html")])
def test_document_by_suffix(served, suffix, media):
    status, headers, _ = fetch(f"{served}/doc/{CASE}.{suffix}", accept="image/png")
    assert status == 200 and headers["Content-Type"].split(";")[0] == media


def test_unknown_resources_and_unacceptable_types(served):
    assert fetch(f"{served}/id/case/41250-000000000000")[0] == 404
    assert fetch(f"{served}/doc/case/41250-000000000000", accept="text/turtle")[0] == 404
    assert fetch(f"{served}/doc/{CASE}.xyz")[0] == 404
    assert fetch(f"{served}/no/such/page.html")[0] == 404
    assert fetch(f"{served}/../../etc/passwd")[0] == 404
    status, _, body = fetch(f"{served}/doc/{CASE}", accept="image/png")
    assert status == 406 and b"text/turtle" in body


def test_sparql_is_read_only_and_describes_itself(served):
    query = urllib.parse.urlencode({"query": f"ASK {{ <{BASE}id/{CASE}> ?p ?o }}"})
    status, _, body = fetch(f"{served}/sparql?{query}", accept="application/sparql-results+json")
    assert status == 200 and json.loads(body)["boolean"] is True
    status, _, _ = fetch(f"{served}/sparql", data=b"INSERT DATA { <urn:a> <urn:b> <urn:c> }",
                         content_type="application/sparql-update")
    assert status == 403
    status, _, body = fetch(f"{served}/sparql?{urllib.parse.urlencode({'query': 'ASK { <urn:a> ?p ?o }'})}",
                            accept="application/sparql-results+json")
    assert json.loads(body)["boolean"] is False
    status, headers, body = fetch(f"{served}/sparql", accept="text/turtle")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    sd = Graph().parse(data=body.decode("utf-8"), format="turtle")
    dataset = URIRef(f"{BASE}id/dataset/adminkg")
    assert (None, URIRef("http://www.w3.org/ns/sparql-service-description#defaultDataset"), dataset) in sd
    assert (dataset, URIRef("http://www.w3.org/2000/01/rdf-schema#seeAlso"), URIRef(f"{served}/void.ttl")) in sd
    assert fetch(f"{served}/void.ttl")[0] == 200


# -- every link works ----------------------------------------------------------------------------
class Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value and (name in ("href", "src") or (tag == "image" and name == "href")):
                self.links.append(value)


def test_crawler_finds_no_broken_internal_link(served):
    start = f"{served}/index.html"
    seen, queue, broken, pages = {start}, [start], [], 0
    while queue:
        url = queue.pop()
        status, headers, body = fetch(url)
        if status != 200:
            broken.append(f"{url}: {status}")
            continue
        if not headers["Content-Type"].startswith("text/html"):
            continue
        pages += 1
        parser = Links()
        parser.feed(body.decode("utf-8"))
        for link in parser.links:
            target = urllib.parse.urljoin(url, link).split("#", 1)[0]
            if target.startswith(served) and target not in seen:
                seen.add(target)
                queue.append(target)
    assert not broken, "\n".join(broken[:20])
    assert pages > 400  # the fixture's pages, the gazetteer's bodies, the vocabularies' concepts


# -- what a person sees ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def browser():
    if chromium() is None:
        pytest.skip("chromium (Debian's chromium) is not installed: `make sysdeps` installs it")
    pytest.importorskip("websocket")
    b = Browser()
    yield b
    b.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    keep = os.environ.get("ADMINKG_SCREENSHOTS")
    folder = Path(keep) if keep else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_case_page_shows_agency_technologies_award_and_evidence(served, browser, shots):
    browser.open(f"{served}/id/{CASE}")  # follows the 303 as a browser does
    assert browser.evaluate("location.pathname") == f"/doc/{CASE}"
    text = browser.text()
    assert "산불 감시 드론과 주민 알림 문자" in text
    assert "경기도 동두천시" in text                       # the lead agency, by its label
    assert "드론" in text and "문자 알림" in text            # the technologies
    evidence = browser.evaluate("document.getElementById('evidence').innerText")
    assert "동두천시, 드론으로 산불 막는다" in evidence        # the document
    assert "12–29" in evidence and "0.912" in evidence and "0.734" in evidence
    links = browser.evaluate("[...document.querySelectorAll('a')].map(a => a.textContent)")
    assert any(link.startswith("award:") or "award" in link for link in links)
    browser.screenshot(shots / "case.png")
    award = browser.evaluate("[...document.querySelectorAll('a')].find(a => a.href.includes('/award/')).href")
    browser.open(award)
    assert "가상 적극행정 경진대회" in browser.text()


def test_agency_page_has_a_map_and_schema_org_data(served, browser, shots):
    browser.open(f"{served}/doc/agency/41250")
    assert browser.evaluate("document.querySelector('#map svg circle') !== null")
    data = json.loads(browser.evaluate("document.querySelector('script[type=\"application/ld+json\"]').textContent"))
    graph = Graph().parse(data=json.dumps(data), format="json-ld")
    assert (URIRef(f"{BASE}id/agency/41250"), URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
            URIRef("https://schema.org/GovernmentOrganization")) in graph
    browser.screenshot(shots / "agency.png")


def test_label_search_finds_dongducheon(served, browser, shots):
    browser.open(f"{served}/search.html")
    browser.evaluate("const q = document.getElementById('q'); q.value = '동두천'; "
                     "q.dispatchEvent(new Event('input')); true")
    results = browser.evaluate("[...document.querySelectorAll('#results a')].map(a => [a.textContent, a.href])")
    assert any("동두천시" in label and label.startswith("경기도 동두천시") for label, _ in results), results
    browser.screenshot(shots / "search.png")
    href = next(h for label, h in results if label.startswith("경기도 동두천시"))
    browser.open(href)
    assert "Dongducheon-si" in browser.text()


def test_a_label_with_markup_shows_as_text(served, browser, shots):
    browser.evaluate("window.__injected = false; true")
    browser.open(f"{served}/doc/unit/41250-bbbbbbbbbbb1")
    assert "산림녹지과 <script>alert('x')</script>" in browser.text()
    assert browser.evaluate("document.querySelectorAll('main script').length") == 0
    browser.open(f"{served}/search.html")
    browser.evaluate("const q = document.getElementById('q'); q.value = '산림녹지과'; "
                     "q.dispatchEvent(new Event('input')); true")
    shown = browser.evaluate("[...document.querySelectorAll('#results a')].map(a => a.textContent)")
    assert any("<script>" in s for s in shown)
    assert browser.evaluate("document.querySelectorAll('#results script').length") == 0
    browser.screenshot(shots / "markup.png")
