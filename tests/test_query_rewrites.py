"""Library queries rewritten for speed (benchmarks/query_bench.py: issue 15, every query at least
10x faster embedded than in rdflib) give the same rows as their plain formulation, kept in
tests/fixtures/queries-plain/NAME.rq as it was before the rewrite: on the published graph
(data/ttl with the ontology and gazetteer), with the default parameters and with others that
change what the rewritten part sees (every row instead of a LIMIT, one agency, one kind of fact).
review-conflicts finds no two cases with one title on the published graph: its agency-disagreement
(counted per title rather than paired) is compared on a small graph of cases sharing titles.
"""
from __future__ import annotations

import functools
from collections import Counter

import pytest

from adminkg import paths
from adminkg.params import resolve
from adminkg.queries import bind, get_query, read_query
from adminkg.store import memory_store, turtle_files, with_reference

PLAIN = paths.ROOT / "tests" / "fixtures" / "queries-plain"
CASES = [
    ("agency-pairs", {}),
    ("agency-pairs", {"agency": "한국토지주택공사"}),
    ("agency-pairs", {"agency": "인천"}),
    ("analysis-bodies", {}),
    ("analysis-local-codes", {}),
    ("lowest-confidence", {}),
    ("lowest-confidence", {"limit": ""}),
    ("lowest-confidence", {"limit": "", "kind": "metric"}),
    ("lowest-confidence", {"limit": "", "kind": "technology"}),
    ("review-low-confidence", {}),
    ("review-low-confidence", {"maxConfidence": "1", "kind": "metric"}),
    ("review-conflicts", {}),
    ("review-conflicts", {"sentenceEnd": "다[.]?$"}),
    ("similar-cases", {}),
    ("similar-cases", {"case": "(the case with most technologies)"}),
]
# A value the graph decides (data/ttl is rebuilt as the extractor improves).
CHOSEN = {"(the case with most technologies)": """
    PREFIX akg: <https://w3id.org/adminkg/ontology#>
    SELECT ?v WHERE { ?v akg:usesTechnology ?t ; akg:addresses ?p } GROUP BY ?v ORDER BY DESC(COUNT(?t)) ?v LIMIT 1"""}


@functools.cache
def store():
    return memory_store(with_reference(turtle_files(paths.DATA_TTL_DIR)))


def rows(text: str) -> Counter:
    solutions = store().query(text)
    names = [v.value for v in solutions.variables]
    return Counter(tuple(str(s[n]) if s[n] is not None else "" for n in names) for s in solutions)


def test_every_plain_formulation_is_of_a_library_query():
    names = {p.stem for p in PLAIN.glob("*.rq")}
    assert names == {name for name, _ in CASES}
    for name in names:
        assert read_query(PLAIN / f"{name}.rq").params == get_query(name).params


@pytest.mark.parametrize(("name", "params"), CASES, ids=lambda x: x if isinstance(x, str) else
                         ",".join(f"{k}={v}" for k, v in x.items()) or "defaults")
def test_rewritten_query_gives_the_rows_of_its_plain_formulation(name, params):
    library, plain = get_query(name), read_query(PLAIN / f"{name}.rq")
    assert library.text != plain.text
    params = {k: next(iter(store().query(CHOSEN[v])))["v"].value if v in CHOSEN else v for k, v in params.items()}
    values = resolve(library, params)
    got, expected = rows(bind(library, values)), rows(bind(plain, values))
    assert got == expected
    assert sum(expected.values()) > 0  # a comparison of two empty answers would prove nothing


# Cases sharing titles (c4 and c10 have two lead agencies), evidence for some, a curator's decision.
SHARED_TITLES = """
@prefix akg: <https://w3id.org/adminkg/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix spdx: <http://spdx.org/rdf/terms#> .
@prefix c: <https://w3id.org/adminkg/case/> .
@prefix a: <https://w3id.org/adminkg/agency/> .
@prefix e: <https://w3id.org/adminkg/evidence/> .
c:c1 a akg:InnovationCase ; dcterms:title "같은 제목" ; akg:leadAgency a:A .
c:c2 a akg:InnovationCase ; dcterms:title "같은 제목" ; akg:leadAgency a:A .
c:c3 a akg:InnovationCase ; dcterms:title "같은 제목" ; akg:leadAgency a:B .
c:c4 a akg:InnovationCase ; dcterms:title "둘" ; akg:leadAgency a:A , a:B .
c:c5 a akg:InnovationCase ; dcterms:title "둘" ; akg:leadAgency a:A .
c:c6 a akg:InnovationCase ; dcterms:title "셋" ; akg:leadAgency a:A .
c:c7 a akg:InnovationCase ; dcterms:title "셋" ; akg:leadAgency a:A .
c:c8 a akg:InnovationCase ; dcterms:title "" ; akg:leadAgency a:A .
c:c9 a akg:InnovationCase ; dcterms:title "" ; akg:leadAgency a:B .
c:c10 a akg:InnovationCase ; dcterms:title "홀로" ; akg:leadAgency a:A , a:B .
c:c11 a akg:InnovationCase ; dcterms:title "넷" ; akg:leadAgency a:C .
c:c12 a akg:InnovationCase ; dcterms:title "넷" ; akg:leadAgency a:D .
e:1 oa:hasBody c:c1 ; akg:assertedProperty akg:leadAgency ; akg:assertedValue a:A ; akg:confidence 0.4 ;
    oa:hasTarget [ oa:hasSource e:doc ; oa:hasSelector [ oa:start 3 ; oa:end 5 ] , [ oa:exact "A청" ] ] .
e:2 oa:hasBody c:c3 ; akg:assertedProperty dcterms:title ; akg:assertedValue "같은 제목" ;
    oa:hasTarget [ oa:hasSource e:doc ; oa:hasSelector [ oa:start 0 ; oa:end 5 ] ] .
e:doc akg:fileName "a.txt" ; spdx:checksum [ spdx:checksumValue "abc" ] .
e:d a akg:CuratorDecision ; oa:hasBody c:c12 ; akg:assertedProperty akg:leadAgency ; akg:assertedValue a:D .
"""


def test_review_conflicts_counts_the_agencies_of_a_title_as_its_plain_formulation_pairs_them(tmp_path):
    import pyoxigraph as ox

    graph = ox.Store()
    graph.load(SHARED_TITLES.encode(), format=ox.RdfFormat.TURTLE)
    library, plain = get_query("review-conflicts"), read_query(PLAIN / "review-conflicts.rq")
    values = resolve(library, {})

    def answer(q):
        solutions = graph.query(bind(q, values))
        names = [v.value for v in solutions.variables]
        return Counter(tuple(str(s[n]) if s[n] is not None else "" for n in names) for s in solutions)

    got = answer(library)
    assert got == answer(plain)
    disagreeing = {(case.rsplit("/", 1)[1].strip(">"), agency.rsplit("/", 1)[1].strip(">"))
                   for problem, _, _, case, _, agency, *_ in got if problem == '"agency-disagreement"'}
    # c4-A: the only other case of its title has A too; c6/c7 agree; c8/c9 have an empty title;
    # c10 is alone with its title; c12-D is decided
    assert disagreeing == {("c1", "A"), ("c2", "A"), ("c3", "B"), ("c4", "B"), ("c5", "A"), ("c11", "C")}
    evidence = {row[3].rsplit("/", 1)[1].strip(">"): row for row in got}
    assert evidence["c1"][1:2] == ('"0.4"^^<http://www.w3.org/2001/XMLSchema#decimal>',)
    assert evidence["c3"][7:11] == ('"abc"', '"a.txt"', '"0"^^<http://www.w3.org/2001/XMLSchema#integer>',
                                    '"5"^^<http://www.w3.org/2001/XMLSchema#integer>')
