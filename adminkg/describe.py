"""The dataset's descriptions: VoID (statistics, partitions, dumps, endpoint, examples, vocabularies,
linksets) and DCAT 3 (dataset, distributions with media types, sizes and checksums, licence,
publisher, coverage, keywords in Korean and English, and W3C DQV quality measurements).

Numbers come from the query library run on the exported graph (``report-dataset-statistics``,
``report-class-counts``, ``report-property-counts``, ``report-coverage``,
``quality-completeness``); words, licence and IRIs from ``site/lod.toml``. Both graphs are
checked against ``ontology/description-shapes.ttl`` by :func:`check`.

The export of a release (:class:`Version`, see :mod:`adminkg.release`) describes the dataset of
that version (``BASE id/dataset/ID/VERSION``: ``owl:versionIRI``, ``dcat:version``,
``dcterms:issued``, ``dcat:previousVersion``, in the ``dcat:DatasetSeries`` ``BASE id/dataset/ID``)
and every file of the release with its byte size and SHA-256: one DCAT description of the release.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, RDF, RDFS, XSD

from . import paths
from .errors import InputError, ValidationFailed
from .lod import Iris, config
from .namespaces import DCAT, SPDX, VOCAB, VOID, bind_prefixes
from .query import run

DQV = Namespace("http://www.w3.org/ns/dqv#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
QM = Namespace(VOCAB + "quality/")
IANA = "https://www.iana.org/assignments/media-types/"


@dataclass(frozen=True)
class Distribution:
    """One file of the release: its site path, format name, media type, size and SHA-256."""

    path: str
    format: str
    media: str
    size: int
    sha256: str
    compressed: bool = False
    label: str = ""


@dataclass(frozen=True)
class Version:
    """The release an export describes: its version and date, the version before it, and the
    release's files beside the export (paths relative to the release's folder)."""

    version: str
    issued: str
    previous: str | None = None
    files: tuple[Distribution, ...] = ()

    def url(self, iris: Iris) -> str:
        """Where the release's folder is published (``[release] path`` under the base)."""
        return iris.base + config()["release"]["path"].format(version=self.version)

    def place(self, iris: Iris, dumps: list[Distribution]) -> tuple[str, list[Distribution]]:
        """The URL the files' paths are under, and the export's *dumps* with paths in the release."""
        export = config()["release"]["export"].strip("/")
        return self.url(iris), [replace(d, path=f"{export}/{d.path}") for d in dumps]


def dataset_iri(iris: Iris, version: str | None = None) -> URIRef:
    """The dataset's IRI; with *version*, the IRI of that version of it."""
    ident = config()["dataset"]["id"]
    return URIRef(iris.thing("dataset", f"{ident}/{version}" if version else ident))


def _count(store, name: str, **params) -> dict:
    rows = run(name, params={k: str(v) for k, v in params.items()}, store=store).rows
    return rows[0] if rows else {}


def void_graph(store, iris: Iris, dumps: list[Distribution], examples: list[str],
               subsets: list[str] = (), version: Version | None = None) -> Graph:
    """The VoID description of the exported graph in *store*: *dumps* (the uncompressed ones are
    its void:dataDump), *examples* (IRIs), *subsets* (IRIs of datasets the graph describes); with
    *version*, of that release (its dumps where the release is published)."""
    cfg = config()["dataset"]
    g = bind_prefixes(Graph(), iris.thing_base)
    ds = dataset_iri(iris, version.version if version else None)
    url, dumps = version.place(iris, dumps) if version else (iris.base, dumps)
    stats = _count(store, "report-dataset-statistics")
    g.add((ds, RDF.type, VOID.Dataset))
    g.add((ds, DCTERMS.title, Literal(cfg["title_en"], lang="en")))
    g.add((ds, DCTERMS.title, Literal(cfg["title_ko"], lang="ko")))
    g.add((ds, DCTERMS.license, URIRef(cfg["license"])))
    for key in ("triples", "entities", "distinctSubjects", "distinctObjects", "properties", "classes"):
        g.add((ds, VOID[key], Literal(int(stats.get(key) or 0), datatype=XSD.integer)))
    g.add((ds, VOID.uriSpace, Literal(iris.thing_base)))
    g.add((ds, VOID.sparqlEndpoint, URIRef(iris.base + cfg["sparql"])))
    g.add((ds, VOID.rootResource, ds))
    for vocab in cfg["vocabularies"]:
        g.add((ds, VOID.vocabulary, URIRef(vocab)))
    for d in dumps:
        if not d.compressed:
            g.add((ds, VOID.dataDump, URIRef(url + d.path)))
    for iri in examples:
        g.add((ds, VOID.exampleResource, URIRef(iri)))
    for row in run("report-class-counts", store=store).rows:
        part = URIRef(f"{ds}#class-{_slug(row['class'])}")
        g.add((ds, VOID.classPartition, part))
        g.add((part, VOID["class"], URIRef(row["class"])))
        g.add((part, VOID.entities, Literal(int(row["count"]), datatype=XSD.integer)))
    for row in run("report-property-counts", store=store).rows:
        part = URIRef(f"{ds}#property-{_slug(row['property'])}")
        g.add((ds, VOID.propertyPartition, part))
        g.add((part, VOID.property, URIRef(row["property"])))
        for key in ("triples", "distinctSubjects", "distinctObjects"):
            g.add((part, VOID[key], Literal(int(row[key]), datatype=XSD.integer)))
    for subset in subsets:  # datasets the graph holds and describes itself (the gazetteer)
        g.add((ds, VOID.subset, URIRef(subset)))
    return g


def _slug(iri: str) -> str:
    import hashlib

    return hashlib.sha1(iri.encode("utf-8")).hexdigest()[:10]


def dcat_graph(store, iris: Iris, files: list[Distribution], scores: dict | None,
               version: Version | None = None) -> Graph:
    """The DCAT 3 description: the dataset, one distribution per file of *files*, the SPARQL
    service, and DQV measurements (completeness on *store*, the extractor's precision from *scores*).
    With *version*: the dataset of that release, its files (*files* as placed in the release, and
    the release's own) under the release's URL."""
    cfg = config()["dataset"]
    g = bind_prefixes(Graph(), iris.thing_base)
    for prefix, ns in (("dqv", DQV), ("foaf", FOAF), ("qm", QM)):
        g.bind(prefix, ns)
    ds = dataset_iri(iris, version.version if version else None)
    url, files = version.place(iris, files) if version else (iris.base, files)
    if version:
        files = [*files, *version.files]
        _version(g, ds, iris, version)
    licence = URIRef(cfg["license"])
    g.add((ds, RDF.type, DCAT.Dataset))
    for lang in ("ko", "en"):
        g.add((ds, DCTERMS.title, Literal(cfg[f"title_{lang}"], lang=lang)))
        g.add((ds, DCTERMS.description, Literal(cfg[f"description_{lang}"], lang=lang)))
        g.add((ds, DCTERMS.rights, Literal(cfg[f"rights_{lang}"], lang=lang)))
        for word in cfg[f"keywords_{lang}"]:
            g.add((ds, DCAT.keyword, Literal(word, lang=lang)))
    g.add((ds, DCTERMS.license, licence))
    g.add((ds, DCTERMS.identifier, Literal(cfg["id"])))
    g.add((ds, DCAT.landingPage, URIRef(iris.base)))
    for theme in cfg["themes"]:
        g.add((ds, DCAT.theme, URIRef(theme)))
    for lang in cfg["language"]:
        g.add((ds, DCTERMS.language, URIRef(lang)))
    g.add((ds, DCTERMS.spatial, URIRef(cfg["spatial"])))
    publisher = URIRef(iris.base + cfg["publisher"])
    g.add((ds, DCTERMS.publisher, publisher))
    g.add((publisher, RDF.type, FOAF.Agent))
    g.add((publisher, FOAF.name, Literal(cfg["publisher_name_en"], lang="en")))
    g.add((publisher, FOAF.name, Literal(cfg["publisher_name_ko"], lang="ko")))
    coverage = _count(store, "report-coverage")
    if coverage.get("firstYear") is not None:
        period = URIRef(f"{ds}#temporal")
        g.add((ds, DCTERMS.temporal, period))
        g.add((period, RDF.type, DCTERMS.PeriodOfTime))
        g.add((period, DCAT.startDate, Literal(f"{int(coverage['firstYear']):04d}", datatype=XSD.gYear)))
        g.add((period, DCAT.endDate, Literal(f"{int(coverage['lastYear']):04d}", datatype=XSD.gYear)))
    if coverage.get("lastDocument"):
        g.add((ds, DCTERMS.modified, Literal(str(coverage["lastDocument"])[:10], datatype=XSD.date)))
    for d in files:
        dist = URIRef(f"{ds}/{d.path.replace('/', '-').replace('.', '-')}")
        g.add((ds, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCTERMS.title, Literal(d.label or d.path, lang="en")))
        g.add((dist, DCAT.downloadURL, URIRef(url + d.path)))
        g.add((dist, DCAT.accessURL, URIRef(url + d.path)))
        g.add((dist, DCAT.mediaType, URIRef(IANA + d.media)))
        if d.compressed:
            g.add((dist, DCAT.compressFormat, URIRef(IANA + "application/gzip")))
        g.add((dist, DCAT.byteSize, Literal(d.size, datatype=XSD.nonNegativeInteger)))
        checksum = URIRef(f"{dist}#sha256")
        g.add((dist, SPDX.checksum, checksum))
        g.add((checksum, RDF.type, SPDX.Checksum))
        g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        g.add((checksum, SPDX.checksumValue, Literal(d.sha256, datatype=XSD.hexBinary)))
        g.add((dist, DCTERMS.license, licence))
    service = URIRef(iris.thing("dataset", f"{cfg['id']}/sparql"))
    g.add((service, RDF.type, DCAT.DataService))
    g.add((service, DCTERMS.title, Literal("SPARQL 1.1 endpoint", lang="en")))
    g.add((service, DCAT.endpointURL, URIRef(iris.base + cfg["sparql"])))
    g.add((service, DCAT.endpointDescription, URIRef(iris.base + cfg["sparql"])))
    g.add((service, DCAT.servesDataset, ds))
    g.add((service, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")))
    g.add((service, DCTERMS.license, licence))
    for i, spec in enumerate(config()["quality"]["completeness"]):
        row = _count(store, "quality-completeness", **{"class": spec["class"], "property": spec["property"],
                                                        "lang": spec.get("language", "")})
        total = int(row.get("total") or 0)
        if total:
            _measure(g, ds, QM[spec["metric"]], round(int(row["present"]) / total, 4), f"completeness-{i}")
    for field, score in sorted((scores or {}).get("scores", {}).items()):
        _measure(g, ds, QM[f"precision-{field}"], round(float(score["precision"]), 4), f"precision-{field}")
    return g


def _version(g: Graph, ds: URIRef, iris: Iris, version: Version) -> None:
    """What makes *ds* the dataset of one release (DCAT 3 versioning)."""
    cfg = config()["dataset"]
    series = dataset_iri(iris)
    g.add((series, RDF.type, DCAT.DatasetSeries))
    for lang in ("ko", "en"):
        g.add((series, DCTERMS.title, Literal(cfg[f"title_{lang}"], lang=lang)))
    g.add((ds, OWL.versionIRI, ds))
    g.add((ds, OWL.versionInfo, Literal(version.version)))
    g.add((ds, DCAT.version, Literal(version.version)))
    g.add((ds, DCTERMS.issued, Literal(version.issued, datatype=XSD.date)))
    g.add((ds, DCAT.inSeries, series))
    g.add((ds, DCTERMS.isVersionOf, series))
    if version.previous:
        g.add((ds, DCAT.previousVersion, dataset_iri(iris, version.previous)))


def _measure(g: Graph, ds: URIRef, metric: URIRef, value: float, ident: str) -> None:
    node = URIRef(f"{ds}#quality-{ident}")
    g.add((ds, DQV.hasQualityMeasurement, node))
    g.add((node, RDF.type, DQV.QualityMeasurement))
    g.add((node, DQV.isMeasurementOf, metric))
    g.add((node, DQV.computedOn, ds))
    g.add((node, DQV.value, Literal(f"{value:.4f}", datatype=XSD.decimal)))


def read_scores(path: Path | None) -> dict | None:
    """The extractor's measured scores (``site/extraction-scores.json`` by default; JSON of
    ``adminkg evaluate --json`` under ``"scores"``); :class:`InputError` naming a bad file."""
    path = Path(path or paths.SITE_DIR / "extraction-scores.json")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(path, f"cannot read the extraction scores: {exc}") from exc
    if "scores" not in data and all(isinstance(v, dict) and "precision" in v for v in data.values()):
        data = {"scores": data}  # the bare output of `adminkg evaluate --json`
    if not isinstance(data.get("scores"), dict) or not all(
            isinstance(v, dict) and isinstance(v.get("precision"), int | float) for v in data["scores"].values()):
        raise InputError(path, "expected {\"scores\": {FIELD: {\"precision\": P, …}}} as `adminkg evaluate --json` "
                               "writes")
    return data


def description_shapes() -> Graph:
    from .graphio import load_files

    graph, errors = load_files([paths.DESCRIPTION_SHAPES_FILE])
    if errors:
        raise errors[0]
    return graph


def check(description: Graph):
    """Validate a description against ``ontology/description-shapes.ttl``; :class:`ValidationFailed`
    with the report when it does not conform."""
    from .validate import validate_graph

    report = validate_graph(description, shapes=description_shapes(), ontology=Graph())
    if not report.conforms:
        raise ValidationFailed(report)
    return report


def service_description_links(graph: Graph, endpoint: str, dataset: str | None, see_also: list[str]) -> Graph:
    """Add to an endpoint's SPARQL 1.1 Service Description (*graph*) its default dataset: the VoID
    and DCAT dataset *dataset*, with ``rdfs:seeAlso`` links to its descriptions (*see_also*)."""
    ds = URIRef(dataset) if dataset else URIRef(endpoint + "#dataset")
    for service in set(graph.subjects(RDF.type, SD.Service)):
        graph.set((service, SD.endpoint, URIRef(endpoint)))
        graph.add((service, SD.defaultDataset, ds))
    graph.add((ds, RDF.type, SD.Dataset))
    graph.add((ds, RDF.type, VOID.Dataset))
    graph.add((ds, VOID.sparqlEndpoint, URIRef(endpoint)))
    for link in see_also:
        graph.add((ds, RDFS.seeAlso, URIRef(link)))
    graph.bind("sd", SD)
    graph.bind("void", VOID)
    return graph


__all__ = ["Distribution", "Version", "check", "dataset_iri", "dcat_graph", "read_scores", "service_description_links",
           "void_graph"]
