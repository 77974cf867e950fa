"""A private Virtuoso (tests/virtuoso.py): a Turtle graph with Korean text goes in through the
authenticated Graph Store endpoint (HTTP digest auth, urllib) and comes back through /sparql."""
from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

import pytest

from .virtuoso import Virtuoso, virtuoso_available

pytestmark = pytest.mark.skipif(not virtuoso_available(),
                                reason="virtuoso-t not installed (make sysdeps installs virtuoso-opensource)")

GRAPH = "https://w3id.org/adminkg/graph/smoke"
TURTLE = """\
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix akg: <https://w3id.org/adminkg/ontology#> .
<https://w3id.org/adminkg/agency/lh> skos:prefLabel "한국토지주택공사"@ko, "Korea Land and Housing Corporation"@en ;
    akg:fromGazetteer true .
<https://w3id.org/adminkg/case/x> akg:year 2021 ; skos:note "줄\\n바꿈 \\"따옴표\\"" .
"""


def gsp(v: Virtuoso, method: str, body: bytes) -> int:
    """One Graph Store request with digest auth as urllib does it (a 401 challenge, then the retry)."""
    passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    passwords.add_password(None, v.base_url, v.user, v.password)
    opener = urllib.request.build_opener(urllib.request.HTTPDigestAuthHandler(passwords))
    url = v.gsp_url + "?" + urllib.parse.urlencode({"graph-uri": GRAPH})
    request = urllib.request.Request(url, data=body, method=method, headers={"Content-Type": "text/turtle"})
    with opener.open(request, timeout=60) as resp:
        return resp.status


def select(v: Virtuoso, query: str) -> list[dict]:
    data = urllib.parse.urlencode({"query": query, "default-graph-uri": GRAPH}).encode()
    request = urllib.request.Request(v.sparql_url, data=data,
                                     headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=60) as resp:
        return json.loads(resp.read().decode("utf-8"))["results"]["bindings"]


def test_put_and_query_korean_text(tmp_path):
    with Virtuoso(tmp_path / "virtuoso") as v:
        anonymous = urllib.request.Request(v.gsp_url + "?graph-uri=" + GRAPH, data=b"", method="PUT")
        with pytest.raises(urllib.error.HTTPError) as denied:
            urllib.request.urlopen(anonymous, timeout=30)
        assert denied.value.code == 401 and "Digest" in denied.value.headers["WWW-Authenticate"]

        assert gsp(v, "PUT", TURTLE.encode("utf-8")) == 201  # a new graph
        assert gsp(v, "PUT", TURTLE.encode("utf-8")) == 200  # replaced
        extra = '<https://w3id.org/adminkg/agency/lh> <http://www.w3.org/2000/01/rdf-schema#label> "엘에이치"@ko .\n'
        assert gsp(v, "POST", extra.encode("utf-8")) == 200  # appended (N-Triples sent as Turtle)

        # ORDER BY ?l would sort by language first (ko before en here): Virtuoso's order of tagged literals
        rows = select(v, "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
                         "SELECT ?l WHERE { <https://w3id.org/adminkg/agency/lh> skos:prefLabel ?l } ORDER BY STR(?l)")
        assert [(r["l"]["value"], r["l"].get("xml:lang")) for r in rows] == [
            ("Korea Land and Housing Corporation", "en"), ("한국토지주택공사", "ko")]
        rows = select(v, 'SELECT ?s WHERE { ?s ?p "엘에이치"@ko }')
        assert [r["s"]["value"] for r in rows] == ["https://w3id.org/adminkg/agency/lh"]
        rows = select(v, "SELECT (COUNT(*) AS ?n) ?note ?year ?flag WHERE { ?s ?p ?o "
                         "OPTIONAL { ?c <http://www.w3.org/2004/02/skos/core#note> ?note ; "
                         "<https://w3id.org/adminkg/ontology#year> ?year } "
                         "OPTIONAL { ?a <https://w3id.org/adminkg/ontology#fromGazetteer> ?flag } } "
                         "GROUP BY ?note ?year ?flag")
        assert len(rows) == 1
        n, note, year, flag = (rows[0][k] for k in ("n", "note", "year", "flag"))
        assert int(n["value"]) == 6 and n["datatype"].endswith("#integer")  # only this graph: 6 triples
        assert note["value"] == '줄\n바꿈 "따옴표"'
        assert year["value"] == "2021" and year["type"] == "typed-literal"  # the SPARQL 1.0 JSON form
        assert flag["datatype"].endswith("#boolean") and flag["value"] in ("1", "true")  # Virtuoso says "1"
