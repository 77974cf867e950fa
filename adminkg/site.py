"""The static site of an export: one page per resource (its document ``doc/KIND/REF`` in HTML,
Turtle, JSON-LD and N-Triples), class indexes with counts, a label search that runs in the
browser, the ontology and vocabulary documentation, the IRI patterns and a page on querying.

Pages are written from the exported graph with the templates of ``site/templates`` (Jinja2,
autoescaped: a label is text, whatever it holds). Every link between pages is relative, so the
site works from any host or folder; each page embeds its own data as JSON-LD (schema.org types
where ``site/lod.toml`` maps a class to one).
"""
from __future__ import annotations

import json
import posixpath
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF

from . import paths
from .lod import Iris, config, formats
from .namespaces import AKG, GEO
from .queries import library
from .query import run
from .rdfdump import canonical, node_objects, serialize, used_prefixes

Write = Callable[[str, bytes], None]  # (site path, bytes)


@dataclass
class Page:
    """A resource's document: the thing's IRI, the triples about it and its fragments (#target …),
    and the triples of other pages that point at it."""

    path: str
    iri: str
    triples: list = field(default_factory=list)
    incoming: list = field(default_factory=list)


def _rel(src: str, dst: str) -> str:
    """The relative URL from the page at site path *src* to site path *dst*."""
    return posixpath.relpath(dst, posixpath.dirname(src) or ".")


def _script_json(data) -> str:
    """JSON safe inside <script>: no '<', '>' or '&' that could end the element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


class Site:
    """Writes the static site of one export through *write* (atomic file writes, done by the caller)."""

    def __init__(self, triples: list, extra: list, store, iris: Iris, prefixes: dict[str, str], write: Write,
                 *, home: dict):
        import jinja2

        self.iris, self.prefixes, self.write, self.home = iris, prefixes, write, home
        self.store = store
        self.cfg = config()
        self.site_cfg = self.cfg["site"]
        self.env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(paths.SITE_DIR / "templates")),
                                      autoescape=True, trim_blocks=True, lstrip_blocks=True,
                                      keep_trailing_newline=True)
        self.pages: dict[str, Page] = {}
        self.labels: dict[str, dict[str, str]] = defaultdict(dict)
        self.types: dict[str, list[str]] = defaultdict(list)
        self._index(triples + extra)
        self.page_count = 0

    # -- the graph, indexed by page -------------------------------------------------------
    def _index(self, triples: list) -> None:
        label_props = [URIRef(p) for p in self.site_cfg["label_properties"]]
        rank = {p: i for i, p in enumerate(label_props)}
        best: dict[tuple[str, str], int] = {}
        for s, p, o in triples:
            if isinstance(s, BNode):
                continue
            path = self.iris.document_path(str(s))
            if path is None:
                continue
            page = self.pages.get(path)
            if page is None:
                page = self.pages[path] = Page(path, str(s).split("#", 1)[0])
            page.triples.append((s, p, o))
            if p == RDF.type and isinstance(o, URIRef) and "#" not in str(s):
                self.types[str(s)].append(str(o))
            if p in rank and isinstance(o, Literal) and str(o).strip():
                lang = (o.language or "").lower()[:2] or "ko"
                key = (str(s), lang)
                if rank[p] < best.get(key, 99):
                    best[key] = rank[p]
                    self.labels[str(s)][lang] = str(o)
        for s, p, o in triples:
            if isinstance(o, URIRef) and not isinstance(s, BNode):
                target = self.iris.document_path(str(o))
                source = self.iris.document_path(str(s))
                if target in self.pages and target != source:
                    self.pages[target].incoming.append((s, p))

    # -- helpers the templates use --------------------------------------------------------
    def curie(self, iri: str) -> str:
        for prefix, ns in sorted(self.prefixes.items(), key=lambda kv: -len(kv[1])):
            if iri.startswith(ns) and len(iri) > len(ns):
                return f"{prefix}:{iri[len(ns):]}"
        return iri

    def label(self, iri: str, lang: str | None = None) -> str:
        labels = self.labels.get(iri, {})
        if lang:
            return labels.get(lang, "")
        return labels.get("ko") or labels.get("en") or self.curie(iri)

    def href(self, src: str, iri: str) -> str | None:
        """A relative link from page *src* to the page of *iri* (with its fragment), an absolute
        link for an IRI outside the site, ``None`` for a site IRI that has no page."""
        path = self.iris.document_path(iri)
        if path is None:
            return iri if iri.startswith(("http://", "https://")) and not iri.startswith(self.iris.base) else None
        if path not in self.pages:
            return None
        frag = iri.split("#", 1)[1] if "#" in iri else ""
        return _rel(src, path + ".html") + (f"#{frag}" if frag else "")

    def term_href(self, src: str, iri: str) -> str | None:
        """Where a class or property is documented: the ontology page's anchor, else the IRI."""
        if iri.startswith(str(AKG)):
            return _rel(src, "doc/ontology.html") + "#" + iri[len(str(AKG)):]
        return self.href(src, iri)

    def class_path(self, iri: str, page: int = 1) -> str:
        slug = self.curie(iri).replace(":", "-").replace("/", "-")
        return f"class/{slug}{'' if page == 1 else f'-{page}'}.html"

    def value(self, src: str, term) -> dict:
        if isinstance(term, Literal):
            return {"text": str(term), "lang": term.language or "",
                    "datatype": self.curie(str(term.datatype)) if term.datatype else ""}
        if isinstance(term, BNode):
            return {"text": f"_:{term}"}
        iri = str(term)
        return {"text": self.label(iri), "iri": iri, "href": self.href(src, iri)}

    # -- writing ----------------------------------------------------------------------------
    def render(self, path: str, template: str, **context) -> None:
        root = _rel(path, "index.html")[: -len("index.html")]
        nav = {name: root + target for name, target in (
            ("home", "index.html"), ("classes", "classes.html"), ("search", "search.html"),
            ("ontology", "doc/ontology.html"), ("vocab", "vocabularies.html"), ("query", "query.html"),
            ("iris", "iris.html"))}
        html = self.env.get_template(template).render(root=root, nav=nav, dataset=self.cfg["dataset"], **context)
        self.write(path, html.encode("utf-8"))
        self.page_count += 1

    def jsonld(self, page: Page) -> str:
        used = used_prefixes(page.triples, self.prefixes)
        context = {"@vocab": "https://schema.org/", **dict(sorted(used.items()))}
        nodes = node_objects(page.triples, used)
        schema = self.schema_node(page)
        if schema:
            nodes.append(schema)
        return _script_json({"@context": context, "@graph": nodes})

    def schema_node(self, page: Page) -> dict | None:
        mapped = self.cfg.get("schema", {}).get("types", {})
        kinds = sorted({mapped[t] for t in self.types.get(page.iri, []) if t in mapped})
        if not kinds:
            return None
        node: dict = {"@id": page.iri, "@type": kinds,
                      "url": self.iris.base + page.path + ".html"}
        names = [{"@value": v, "@language": k} for k, v in sorted(self.labels.get(page.iri, {}).items())]
        if names:
            node["name"] = names
        point = self.point(page)
        if point:
            node["geo"] = {"@type": "GeoCoordinates", "latitude": point[0], "longitude": point[1]}
        return node

    def point(self, page: Page) -> tuple[float, float] | None:
        lat = next((o for s, p, o in page.triples if str(s) == page.iri and p == GEO.lat), None)
        lon = next((o for s, p, o in page.triples if str(s) == page.iri and p == GEO.long), None)
        try:
            return (float(lat), float(lon)) if lat is not None and lon is not None else None
        except ValueError:
            return None

    def project(self, lat: float, lon: float) -> tuple[float, float]:
        m = self.site_cfg["map"]
        scale = m["width"] / (m["east"] - m["west"])
        return round((lon - m["west"]) * scale, 1), round((m["north"] - lat) * scale * 1.24, 1)

    def map_size(self) -> tuple[int, int]:
        m = self.site_cfg["map"]
        return m["width"], round((m["north"] - m["south"]) * m["width"] / (m["east"] - m["west"]) * 1.24)

    def write_points(self) -> None:
        """static/points.svg: every body with a point, the backdrop of an agency's map."""
        width, height = self.map_size()
        dots = []
        for page in self.pages.values():
            point = self.point(page)
            if point:
                x, y = self.project(*point)
                dots.append(f'<circle cx="{x}" cy="{y}" r="1.2"/>')
        svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
               f'viewBox="0 0 {width} {height}"><g fill="#b8c4d0">{"".join(sorted(dots))}</g></svg>\n')
        self.write("static/points.svg", svg.encode("utf-8"))

    def write_resources(self, evidence: dict[str, list[dict]]) -> None:
        fmts = formats()
        limit = self.site_cfg["incoming_limit"]
        for path in sorted(self.pages):
            page = self.pages[path]
            page.triples.sort(key=lambda t: (str(t[0]), str(t[1]), str(t[2])))
            src = path + ".html"
            groups: dict[str, list] = {}
            for s, p, o in page.triples:
                groups.setdefault(str(s), []).append((p, o))
            sections = []
            for subject in sorted(groups, key=lambda s: (s != page.iri, s)):
                rows: dict[str, dict] = {}
                for p, o in groups[subject]:
                    row = rows.setdefault(str(p), {"curie": self.curie(str(p)), "href": self.term_href(src, str(p)),
                                                   "values": []})
                    row["values"].append(self.value(src, o))
                sections.append({"iri": subject, "fragment": subject.split("#", 1)[1] if "#" in subject else "",
                                 "rows": [rows[k] for k in sorted(rows, key=lambda k: (k != str(RDF.type), k))]})
            incoming = sorted(page.incoming, key=lambda t: (str(t[1]), str(t[0])))
            evid = [dict(r, property_curie=self.curie(r["property"]),
                         property_href=self.term_href(src, r["property"]),
                         value_view=self.value(src, URIRef(r["value"])) if r.get("value") else None,
                         document_href=self.href(src, r["document"]),
                         evidence_href=self.href(src, r["evidence"]))
                    for r in evidence.get(page.iri, [])]
            point = self.point(page)
            map_view = None
            if point:
                width, height = self.map_size()
                x, y = self.project(*point)
                map_view = {"width": width, "height": height, "x": x, "y": y, "lat": point[0], "lon": point[1]}
            types = [{"text": self.label(t), "curie": self.curie(t), "href": self.term_href(src, t),
                      "index": _rel(src, self.class_path(t))} for t in sorted(set(self.types.get(page.iri, [])))]
            self.render(src, "resource.html", page=page, sections=sections, types=types,
                        label_ko=self.label(page.iri, "ko"), label_en=self.label(page.iri, "en"),
                        title=self.label(page.iri),
                        incoming=[{"subject": self.value(src, s), "curie": self.curie(str(p)),
                                   "href": self.term_href(src, str(p))} for s, p in incoming[:limit]],
                        incoming_total=len(incoming), evidence=evid, map=map_view,
                        representations=[{"label": f.label, "media": f.media,
                                          "href": posixpath.basename(path) + "." + f.suffix}
                                         for f in fmts.values() if f.name in ("html", "turtle", "jsonld", "ntriples")],
                        jsonld=self.jsonld(page))
            self.write_rdf(path, page)

    def write_rdf(self, path: str, page: Page) -> None:
        """The page's triples in Turtle, JSON-LD and N-Triples beside its HTML."""
        fmts = formats()
        rdf = canonical(page.triples)
        used = used_prefixes(rdf, self.prefixes)
        for name in ("turtle", "jsonld", "ntriples"):
            self.write(f"{path}.{fmts[name].suffix}", serialize(rdf, name, used))

    def write_classes(self) -> list[dict]:
        members: dict[str, list[str]] = defaultdict(list)
        for iri, types in self.types.items():
            if self.iris.document_path(iri) in self.pages:
                for t in set(types):
                    members[t].append(iri)
        size = self.site_cfg["class_page_size"]
        classes = []
        for cls in sorted(members, key=lambda c: (-len(members[c]), c)):
            items = sorted(members[cls], key=lambda i: (self.label(i), i))
            chunks = [items[i:i + size] for i in range(0, len(items), size)] or [[]]
            for n, chunk in enumerate(chunks, 1):
                path = self.class_path(cls, n)
                self.render(path, "class.html", cls=cls, curie=self.curie(cls), label_en=self.label(cls, "en"),
                            label_ko=self.label(cls, "ko"), doc_href=self.term_href(path, cls), count=len(items),
                            number=n, pages=[_rel(path, self.class_path(cls, k)) for k in range(1, len(chunks) + 1)],
                            items=[self.value(path, URIRef(i)) for i in chunk],
                            jsonld=_script_json({"@context": "https://schema.org/", "@type": "CollectionPage",
                                                 "name": self.curie(cls), "numberOfItems": len(items)}))
            classes.append({"iri": cls, "curie": self.curie(cls), "label_en": self.label(cls, "en"),
                            "label_ko": self.label(cls, "ko"), "count": len(items), "path": self.class_path(cls)})
        self.render("classes.html", "classes.html", classes=classes,
                    jsonld=_script_json({"@context": "https://schema.org/", "@type": "CollectionPage",
                                         "name": "Classes", "numberOfItems": len(classes)}))
        return classes

    def write_search(self) -> int:
        exclude = set(self.site_cfg["search_exclude"])
        entries = []
        for iri, labels in sorted(self.labels.items()):
            path = self.iris.document_path(iri)
            if path not in self.pages or "#" in iri or exclude & set(self.types.get(iri, [])):
                continue
            kind = sorted(self.curie(t) for t in self.types.get(iri, []))
            entries.append([labels.get("ko", ""), labels.get("en", ""), path + ".html", kind[0] if kind else ""])
        self.write("search-index.js", ("window.ADMINKG_SEARCH = " + _script_json(entries) + ";\n").encode("utf-8"))
        self.render("search.html", "search.html", count=len(entries),
                    jsonld=_script_json({"@context": "https://schema.org/", "@type": "SearchResultsPage",
                                         "name": "Search"}))
        return len(entries)

    def write_ontology(self) -> None:
        path = "doc/ontology.html"
        terms = []
        for row in run("site-ontology-terms", store=self.store).rows:
            term = row["term"]
            links = {k: [{"text": self.curie(x), "href": self.term_href(path, x)}
                         for x in (row[k] or "").split("|") if x] for k in ("parents", "domain", "range")}
            terms.append(dict(row, anchor=term[len(str(AKG)):], curie=self.curie(term),
                              kind_label=self.curie(row["kind"]), **links))
        page = self.pages.get("doc/ontology") or Page("doc/ontology", str(AKG)[:-1])
        self.render(path, "ontology.html", terms=terms, jsonld=self.jsonld(page))
        self.write_rdf("doc/ontology", page)

    def write_vocabularies(self) -> None:
        path = "vocabularies.html"
        schemes = [dict(r, href=self.href(path, r["scheme"]), curie=self.curie(r["scheme"]))
                   for r in run("report-vocabularies", store=self.store).rows]
        self.render(path, "vocabularies.html", schemes=schemes,
                    jsonld=_script_json({"@context": "https://schema.org/", "@type": "CollectionPage",
                                         "name": "Vocabularies", "numberOfItems": len(schemes)}))

    def write_pages(self, classes: list[dict], dumps: list, examples: list[str]) -> None:
        queries = [{"name": q.name, "title": q.title, "description": q.description, "params": q.params,
                    "text": q.text} for q in library() if not q.name.startswith("site-")]
        endpoint = self.iris.base + self.cfg["dataset"]["sparql"]
        self.render("query.html", "query.html", queries=queries, endpoint=endpoint, dumps=dumps,
                    jsonld=_script_json({"@context": "https://schema.org/", "@type": "WebPage",
                                         "name": "How to query"}))
        kinds = [dict(spec, kind=kind) for kind, spec in self.iris.kinds.items()]
        self.render("iris.html", "iris.html", kinds=kinds, base=self.iris.base, formats=list(formats().values()),
                    jsonld=_script_json({"@context": "https://schema.org/", "@type": "WebPage",
                                         "name": "IRI patterns"}))
        self.render("index.html", "index.html", classes=classes, dumps=dumps, endpoint=endpoint,
                    examples=[{"iri": e, "href": self.href("index.html", e), "text": self.label(e)} for e in examples],
                    dataset_href=self.href("index.html", self.home["dataset"]), home=self.home,
                    jsonld=_script_json(self.home["schema"]))
