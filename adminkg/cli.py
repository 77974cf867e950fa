"""The ``adminkg`` command line. Each command parses options and calls one engine function;
only this module turns errors into exit codes (0 ok, 1 does not conform, 2 bad input, 3 endpoint)."""
from __future__ import annotations

import signal
import sys
from pathlib import Path

import click

from . import __version__, paths
from .endpoint import DEFAULT_TIMEOUT
from .errors import AdminKGError
from .executors import EXECUTORS
from .gateway import DEFAULT_MAX_RESULT_BYTES, DEFAULT_QUERIES, DEFAULT_WORKERS, WAITING_PER_WORKER
from .gateway import DEFAULT_TIMEOUT as SERVE_TIMEOUT
from .loaders.confidence import KINDS
from .namespaces import DEFAULT_BASE
from .publish import DEFAULT_CHUNK, DEFAULT_GRAPH, PROTOCOLS
from .query import FORMATS

LANGS = click.Choice(["en", "ko"])


def _fail(exc: AdminKGError) -> None:
    click.echo(f"adminkg: error: {exc}", err=True)
    sys.exit(exc.exit_code)


def _probability(_ctx, _param, value: float) -> float:
    if not 0 <= value <= 1:  # also refuses nan
        raise click.BadParameter(f"{value} is not a probability between 0 and 1")
    return value


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="adminkg")
def main() -> None:
    """adminkg: a knowledge graph of public-sector administrative innovation cases.

    Documents → loaders → RDF with provenance → SHACL → store → query / analytics / publish.
    """


@main.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--lang", type=LANGS, default="en", show_default=True, help="Language of the messages.")
@click.option("--limit", type=int, default=200, show_default=True, help="Show at most this many results.")
@click.option("--engine", type=click.Choice(["auto", "rust", "pyshacl"]), default="auto", show_default=True,
              help="SHACL engine: the Rust one (the `shacl` wheel) gives pySHACL's results much faster; auto "
                   "takes it when it is installed and trusted with every term of the shapes, else pySHACL.")
def validate(files: tuple[Path, ...], lang: str, limit: int, engine: str) -> None:
    """Validate RDF FILES or folders (a build folder: its Turtle; default: ontology, vocabularies and
    data/ttl) against the SHACL shapes, with the ontology, vocabularies and gazetteer beside them.

    Prints a human-readable report and which engine ran. Exit status 1 when there is a violation,
    2 when a file cannot be read (the others are still validated) or the engine asked for cannot
    run; warnings alone exit 0.
    """
    from .validate import format_report
    from .validate import validate as run

    try:
        report = run(list(files) or None, engine=engine)
    except AdminKGError as exc:
        _fail(exc)
    click.echo(format_report(report, lang=lang, limit=limit))
    if report.load_errors:
        sys.exit(2)
    sys.exit(0 if report.conforms else 1)


@main.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
def info(files: tuple[Path, ...]) -> None:
    """Summarise what the graph holds: triples, resources per class, vocabularies, bodies, sources.

    FILES are RDF files or folders (a build folder: its Turtle files, e.g. `adminkg info build/demo`);
    they default to the ontology, vocabularies and data/ttl.
    """
    from .info import info as run
    from .tables import format_table

    try:
        summary = run(list(files) or None)
    except AdminKGError as exc:
        _fail(exc)
    for err in summary.load_errors:
        click.echo(f"adminkg: error: {err}", err=True)
    click.echo(f"triples: {summary.triples}")
    titles = {"report-class-counts": "Resources per class", "report-vocabularies": "Vocabularies",
              "report-agencies-by-type": "Bodies per agency type", "report-sources": "Sources"}
    for name, (header, rows) in summary.tables.items():
        click.echo(f"\n{titles.get(name, name)}")
        click.echo(format_table(header, rows) if rows else "(none)")
    sys.exit(2 if summary.load_errors else 0)


@main.command()
@click.option("--src", type=click.Path(path_type=Path, file_okay=False), default=paths.GAZETTEER_SRC_DIR,
              show_default=True, help="Folder of the gazetteer tables (local.csv, central.csv …).")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), default=paths.GAZETTEER_TTL,
              show_default=True, help="Turtle file to write (atomically).")
@click.option("--base", default=DEFAULT_BASE, show_default=True, help="Base IRI of minted resources.")
def gazetteer(src: Path, out: Path, base: str) -> None:
    """Build the gazetteer graph (data/ttl/gazetteer.ttl) from the tables in data/gazetteer/.

    Bad rows are reported with file and line and left out; the rest is still written, and the
    exit status is 2.
    """
    from .gazetteer import build_gazetteer, write_gazetteer

    result = build_gazetteer(src, base=base)
    for err in result.errors:
        click.echo(f"adminkg: error: {err}", err=True)
    path = write_gazetteer(result, out, base=base)
    total = sum(result.counts.values())
    click.echo(f"wrote {path}: {len(result.graph)} triples, {total} bodies")
    for kind, n in result.counts.items():
        click.echo(f"  {kind:<32} {n:>4}")
    sys.exit(2 if result.errors else 0)


@main.command()
@click.option("--corpus", "corpora", multiple=True, type=click.Path(path_type=Path),
              help="Folder (or file) of documents, read recursively; repeatable. Default: examples/corpus.")
@click.option("--table", "tables", multiple=True, type=click.Path(path_type=Path),
              help="CSV or JSON file of curated cases (one per row); repeatable.")
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=Path("build"), show_default=True,
              help="Output folder: cases.ttl, store/, report.json.")
@click.option("--base", default=DEFAULT_BASE, show_default=True, help="Base IRI of minted resources.")
@click.option("--with-text", is_flag=True, help="Also keep problem and intervention sentences (local use only).")
@click.option("--no-store", is_flag=True, help="Write Turtle only, no embedded store.")
@click.option("--min-confidence", type=float, default=0.0, show_default=True, callback=_probability, metavar="P",
              help="Leave out facts whose confidence (the extraction model's probability, 0..1) is below P; a case "
                   "or lead agency below P leaves out the whole case. Facts without a confidence (curated tables) "
                   "are kept.")
@click.option("--model", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Extraction model (JSON, from `adminkg train`). Default: the model that ships with adminkg.")
@click.option("--curation", "curation", multiple=True, type=click.Path(path_type=Path),
              help="Folder (or CSV file) of curators' decisions to apply after extraction, such as data/curation; "
                   "repeatable. Stale decisions (their target is gone) are reported.")
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes that extract documents and emit their triples. Default: all cores.")
@click.option("--executor", type=click.Choice(list(EXECUTORS)), default="local", show_default=True,
              help="Where the documents are extracted: local (--jobs processes on this machine) or dask (a Dask "
                   "cluster: the one at --scheduler, else a local one of --jobs workers; needs adminkg[dask]).")
@click.option("--scheduler", metavar="ADDRESS", default=None,
              help="The Dask scheduler of --executor dask, such as tcp://scheduler.example:8786; its workers need "
                   "adminkg installed and the documents and OUT at the same paths.")
@click.option("--no-cache", is_flag=True,
              help="Extract every document again and keep nothing in OUT/.cache (by default each document's "
                   "extraction and triples are kept there and reused while the document, lexicons, model, options "
                   "and code are unchanged).")
@click.option("--validate", is_flag=True,
              help="Validate the graph against the SHACL shapes as it is built: each document's triples where they "
                   "are emitted, the cross-document shapes once on the merged graph. Writes OUT/validation.txt; exit "
                   "1 when the graph does not conform (it is still written).")
@click.option("--gate", is_flag=True,
              help="With --validate: write nothing when the graph does not conform (OUT keeps the earlier build) and "
                   "print the report; exit 1.")
def build(corpora, tables, out: Path, base: str, with_text: bool, no_store: bool, min_confidence: float,
          model: Path | None, curation: tuple[Path, ...], jobs: int | None, no_cache: bool, executor: str,
          scheduler: str | None, validate: bool, gate: bool) -> None:
    """Build the graph from documents and curated tables.

    Reads .txt, .md, .html (UTF-8, UTF-16 with a BOM, CP949), .hwpx, .hwp (HWP 5.0), .pdf (its text
    layer) and .docx; a table keeps its rows, cells joined by a tab. Writes OUT/cases.ttl
    (deterministic), the embedded store OUT/store, OUT/report.json and, for documents that are
    not text, their extracted text in OUT/text/ (the evidence offsets count in it), and prints
    what was found. Documents that cannot be read are named with the reason, files of other kinds
    (or scanned PDFs) are named as skipped with a summary; the others are still built, and the
    exit status is then 2. A --corpus that does not exist or holds no readable document writes
    nothing (exit 2: an earlier build in OUT is left as it was); a second build into the same OUT
    while one runs is refused. With --min-confidence, the report counts the facts left out per kind.

    Documents are extracted, and their triples made, by --jobs worker processes (or on a Dask
    cluster, --executor dask); this process merges them in the order of the files. Each document's
    extraction is kept in OUT/.cache by the hash of the document, its manifest row, the lexicons,
    vocabularies, gazetteer, code and model, and its triples by that hash and the options and code
    they depend on; the next build into OUT reuses them: a rebuild extracts and emits only what
    changed. The output is byte-identical whatever --executor, --jobs and whatever the cache held.

    With --validate, each document's triples are validated against the SHACL shapes in the worker
    that emitted them (the Rust engine when it runs the shapes, else pySHACL) and the
    cross-document shapes once on the merged graph; the results are those of `adminkg validate
    OUT`. The report goes to OUT/validation.txt (every result) and its counts to report.json, and
    its summary line is printed. Exit status 1 when the graph does not conform and every document
    was read (2 wins when one failed or was skipped: report.json says whether it conforms); the
    graph is written all the same, unless --gate.
    """
    from .build import NothingToBuild, print_progress
    from .build import build as run
    from .errors import ValidationFailed
    from .validate import format_report

    roots = list(corpora) or ([] if tables else [paths.ROOT / "examples" / "corpus"])
    try:
        report = run(roots, out, base=base, with_text=with_text, tables=list(tables), store=not no_store,
                     progress=print_progress, min_confidence=min_confidence, model=model,
                     curation=list(curation), jobs=jobs, cache=not no_cache, executor=executor,
                     scheduler=scheduler, validate=validate or gate, gate=gate)
    except ValidationFailed as exc:
        click.echo(format_report(exc.report))
        click.echo(f"nothing was written: {out} is left as it was (--gate)")
        _fail(exc)
    except NothingToBuild as exc:
        _report_unread(exc.report)
        _fail(exc)
    except AdminKGError as exc:
        _fail(exc)
    _report_unread(report)
    for name, note in report.notes:
        click.echo(f"adminkg: note: {name}: {note}", err=True)
    click.echo(f"documents read: {report.documents}, failed: {len(report.failed)}, skipped: {len(report.skipped)}")
    if report.skipped:
        click.echo(f"skipped: {report.skipped_summary()}")
    click.echo(f"cases: {report.cases} ({report.case_rows} case-source pairs)")
    for kind, n in sorted(report.facts.items()):
        click.echo(f"  {kind:<20} {n:>6} evidence spans")
    if report.curation is not None:
        for o, problem in report.curation.stale:
            click.echo(f"adminkg: stale override: {o.where}: {o.action} {o.kind}: {problem}", err=True)
        applied = report.curation.as_dict()["applied"]
        click.echo(f"curators' decisions applied: {', '.join(f'{a} {n}' for a, n in applied.items()) or 'none'}; "
                   f"stale: {len(report.curation.stale)}")
    if min_confidence > 0:
        dropped = ", ".join(f"{kind} {n}" for kind, n in sorted(report.dropped.items())) or "none"
        click.echo(f"left out below confidence {min_confidence}: {dropped}")
    for kind, path in report.outputs.items():
        click.echo(f"{kind}: {path}")
    if report.cache is not None:
        click.echo(f"documents extracted: {report.cache['extracted']}, reused from {out / '.cache'}: "
                   f"{report.cache['reused']} (their triples too: {report.cache['emissions_reused']})")
    click.echo(f"{report.characters} characters in {report.seconds:.1f} s")
    if report.validation is not None:
        click.echo(report.validation.summary())
    conforms = report.validation is None or report.validation.conforms
    sys.exit(2 if report.failed or report.skipped else 0 if conforms else 1)


@main.command()
@click.option("--docs", type=click.IntRange(min=1), required=True, help="How many documents to write.")
@click.option("--seed", type=int, default=1, show_default=True, help="The same seed gives the same bytes.")
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=Path("build") / "synthetic",
              show_default=True, help="Output folder (replaced): docs/ (a folder per 1,000 documents) and gold.json.")
def synth(docs: int, seed: int, out: Path) -> None:
    """Write synthetic Korean case documents and the gold cases they plant, for scale runs.

    The layouts of the corpus (card news, ranked award articles, ▲ lists, single-practice releases)
    from the templates of adminkg/synthetic.toml, with names from the gazetteer and the
    vocabularies; OUT/gold.json is in the shape of ../shared/corpus/gold.json. Document i depends
    on the seed and i alone: a run of 2N documents begins with the N of a run of N.
    """
    from .synthetic import generate

    try:
        folder = generate(out, docs=docs, seed=seed)
    except AdminKGError as exc:
        _fail(exc)
    click.echo(f"{docs} documents: {folder}; gold: {out / 'gold.json'}")
    click.echo(f"build them: adminkg build --corpus {folder} --out {out / 'build'}")


def _report_unread(report) -> None:
    for name, problem in report.failed:
        click.echo(f"adminkg: error: {name}: {problem}", err=True)
    for name, reason, _kind in report.skipped:
        click.echo(f"adminkg: skipped: {name}: {reason}", err=True)
    if report.skipped:
        click.echo(f"adminkg: skipped: {report.skipped_summary()}", err=True)


@main.command()
@click.option("--gold", "gold", multiple=True, required=True, type=click.Path(path_type=Path, dir_okay=False),
              help="Gold annotations (JSON: a list of {doc, cases}); repeatable.")
@click.option("--corpus", "corpora", multiple=True, required=True, type=click.Path(path_type=Path),
              help="Folder of the annotated documents, read recursively; repeatable.")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), default=Path("build") / "model.json",
              show_default=True, help="Where to write the model (JSON). `make model` writes the committed one.")
@click.option("--curation", "curation", multiple=True, type=click.Path(path_type=Path),
              help="Folder (or CSV file) of curators' decisions (data/curation): the documents of the corpus they are "
                   "about, extracted and curated, are trained on as annotated documents too; repeatable.")
def train(gold, corpora, out: Path, curation: tuple[Path, ...]) -> None:
    """Train the extraction model from gold annotations.

    Reads every annotated document, lets the rules propose candidates (titles, lead bodies, facts),
    labels them by the annotation and fits one model per decision (a logistic regression, or
    boosted trees for the lead body: LightGBM, pip install 'adminkg[train]'), with its threshold
    chosen on held-out documents. Deterministic: the same annotations and code give the same bytes.
    Build with it: adminkg build --model OUT. With --curation, the documents curators decided on
    (and the gold files do not annotate) count as annotated by the curated graph.
    """
    import json
    import tempfile

    from .learn import train_files

    try:
        with tempfile.TemporaryDirectory() as tmp:
            gold = list(gold)
            if curation:  # the curated documents as one more gold file (adminkg.teaching)
                from .teaching import write_curated_gold

                curated = Path(tmp) / "curated-gold.json"
                report = write_curated_gold(list(curation), list(corpora), curated, gold_files=gold)
                for o, problem in report.stale:
                    click.echo(f"adminkg: stale override: {o.where}: {o.action} {o.kind}: {problem}", err=True)
                click.echo(f"curated documents: {len(json.loads(curated.read_text(encoding='utf-8')))}")
                gold.append(curated)
            model = train_files(gold, list(corpora), out, progress=_progress("reading"))
    except AdminKGError as exc:
        _fail(exc)
    for name, m in sorted(model.decisions.items()):
        click.echo(f"{name:<12} {m.size:>22}  threshold {m.threshold:.2f}  "
                   f"{model.meta['examples'].get(name, 0):>6} examples")
    click.echo(f"model: {out} ({out.stat().st_size} bytes, {model.meta['documents']} documents)")


@main.command()
@click.option("--gold", "gold", multiple=True, required=True, type=click.Path(path_type=Path, dir_okay=False),
              help="Gold annotations (JSON: a list of {doc, cases}); repeatable.")
@click.option("--corpus", "corpora", multiple=True, required=True, type=click.Path(path_type=Path),
              help="Folder of the annotated documents, read recursively; repeatable.")
@click.option("--folds", type=click.IntRange(2, 50), default=5, show_default=True,
              help="Number of folds (whole documents; a story or a contest told twice stays in one fold).")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
def evaluate(gold, corpora, folds: int, as_json: bool) -> None:
    """Cross-validate extraction on annotated documents.

    Document-level k-fold cross-validation of the whole pipeline: each fold's documents are built
    with a model trained on the other folds, and the cases they yield are scored against the gold
    (the scorer's fields: cases, agency, titles, departments, technologies, partners,
    beneficiaries, awards, grades, contests; precision, recall, F1).
    """
    import json

    from .learn import evaluate_files
    from .scoring import table

    try:
        ev = evaluate_files(list(gold), list(corpora), folds, progress=_progress("fold"))
    except AdminKGError as exc:
        _fail(exc)
    if as_json:
        click.echo(json.dumps({k: {"precision": round(v.precision, 4), "recall": round(v.recall, 4),
                                   "f1": round(v.f1, 4), "tp": v.tp, "pred": v.pred, "gold": v.gold}
                               for k, v in ev.scores.items()}, indent=1))
        return
    click.echo(f"{ev.documents} documents, {ev.folds}-fold document-level cross-validation, {ev.seconds:.0f} s")
    click.echo(table(ev.scores))


def _progress(what: str):
    tty = sys.stderr.isatty()

    def report(i: int, total: int) -> None:
        if tty or i == total:  # a log file gets the last line only
            click.echo(f"\r{what} {i}/{total}", err=True, nl=i == total)

    return report


@main.command()
@click.argument("name")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind a parameter of the query (see `adminkg queries`); repeatable. The value becomes "
                   "one escaped literal, integer or IRI, whatever it contains.")
@click.option("--data", type=click.Path(path_type=Path), default=Path("build"), show_default=True,
              help="A build folder (its store, else its Turtle files) or a Turtle file.")
@click.option("--endpoint", metavar="URL", help="Query this SPARQL 1.1 endpoint instead of --data.")
@click.option("--graph", metavar="IRI", help="With --endpoint: the graph to query as the default graph "
                                             "(default-graph-uri), e.g. the one `adminkg publish` wrote.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table",
              show_default=True,
              help="json, csv, tsv = SPARQL 1.1 JSON, CSV, TSV results; table for a terminal; md = Markdown.")
@click.option("--excel", is_flag=True,
              help="With --format csv or tsv: begin with a UTF-8 byte-order mark, so that Excel opens Korean text "
                   "correctly.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=DEFAULT_TIMEOUT, show_default=True,
              help="Seconds to wait for the answer.")
def query(name: str, params: tuple[str, ...], data: Path, endpoint: str | None, graph: str | None, fmt: str,
          excel: bool, timeout: float) -> None:
    """Run a library query (by NAME, e.g. cases) or a .rq file, on the embedded store or an endpoint.

    Exit status 2 for a bad query, parameter or data folder, 3 when the endpoint is unreachable,
    answers an error or times out.
    """
    from .query import render, run

    if excel and fmt not in ("csv", "tsv"):
        _fail(AdminKGError(f"--excel applies to --format csv or tsv, not {fmt}"))
    bound = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key:
            _fail(AdminKGError(f"--param {item!r}: expected NAME=VALUE"))
        bound[key.strip()] = value
    try:
        results = run(name, data, bound, endpoint=endpoint, timeout=timeout, default_graph=graph)
    except AdminKGError as exc:
        _fail(exc)
    except (SyntaxError, OSError) as exc:
        _fail(AdminKGError(f"{name}: {exc}"))
    text = render(results, fmt)
    click.echo(("\ufeff" if excel else "") + text, nl=not text.endswith("\n"))


@main.command()
@click.option("--data", type=click.Path(path_type=Path), default=Path("build"), show_default=True,
              help="A build folder (its store, else its Turtle files) or a folder of Turtle such as data/ttl.")
@click.option("--max-confidence", type=float, default=0.5, show_default=True, callback=_probability, metavar="P",
              help="List the facts whose confidence is at most P (conflicts are listed whatever their confidence).")
@click.option("--kind", type=click.Choice(KINDS), default=None, help="Only facts of this kind.")
@click.option("--corpus", "corpora", multiple=True, type=click.Path(path_type=Path),
              help="The documents' folder, to show each fact's context (the text around its span); repeatable.")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write the queue to FILE.csv (a curation file to edit: action, correction, curator, date, note), "
                   "FILE.jsonl (doccano tasks) or FILE.json (Label Studio tasks with predictions), most uncertain "
                   "first, instead of printing it.")
@click.option("--import", "imported", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Read an annotated export of the queue (doccano FILE.jsonl, Label Studio FILE.json) and write "
                   "its decisions as a curation CSV to --out.")
@click.option("--curator", default=None, help="With --import: who made the decisions.")
@click.option("--date", "day", default=None, metavar="YYYY-MM-DD", help="With --import: when (default: today).")
@click.option("--limit", type=click.IntRange(min=0), default=50, show_default=True,
              help="Print at most this many items (0 = all); files always get all of them.")
def review(data: Path, max_confidence: float, kind: str | None, corpora, out: Path | None, imported: Path | None,
           curator: str | None, day: str | None, limit: int) -> None:
    """The review queue: low-confidence facts and conflicts, with their evidence.

    Prints the facts a curator should check (most uncertain first) with the document, the quoted
    span and, with --corpus, its context; --out FILE.csv writes them as a curation file to edit in
    a spreadsheet and save under data/curation/ (applied by `adminkg build --curation`), --out
    FILE.jsonl as doccano tasks, --out FILE.json as Label Studio tasks (the fact's span a
    prediction; the labelling interface is data/curation/label-studio.xml); --import EXPORT
    --curator NAME --out FILE.csv reads the annotated tasks back as a curation file.
    """
    from . import review as rv
    from .tables import format_table

    try:
        if imported is not None:
            if out is None or curator is None:
                raise AdminKGError("--import needs --out FILE.csv and --curator NAME")
            rows, errors = rv.reader(imported)(imported, curator=curator, day=day)
            rv.write_rows(rows, out)
            for err in errors:
                click.echo(f"adminkg: error: {err}", err=True)
            click.echo(f"{len(rows)} decisions written to {out}")
            sys.exit(2 if errors else 0)
        write = rv.writer(out) if out is not None else None
        items = rv.review_queue(data, max_confidence=max_confidence, corpus=list(corpora), kind=kind or "")
    except AdminKGError as exc:
        _fail(exc)
    if write is not None:
        write(items, out)
        click.echo(f"{len(items)} items written to {out}")
        return
    shown = items if limit == 0 else items[:limit]
    header = ["confidence", "problem", "kind", "title", "value", "file", "start", "quote", "context"]
    rows = [[i.confidence, i.problem, i.kind, i.title, i.value_label or i.value.rsplit("/", 1)[-1], i.file, i.start,
             i.quote, i.marked()] for i in shown]
    click.echo(format_table(header, rows, max_width=50))
    click.echo(f"({len(items)} items to review{f', {len(shown)} shown' if len(shown) < len(items) else ''})")


@main.command("release")
@click.argument("version")
@click.option("--data", type=click.Path(path_type=Path), default=None,
              help="The folder of Turtle to release (default: data/ttl).")
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=Path("releases"), show_default=True,
              help="Where releases live: the release is written to OUT/VERSION.")
@click.option("--date", "day", default=None, metavar="YYYY-MM-DD", help="The release date (default: today).")
@click.option("--base", default=DEFAULT_BASE, show_default=True, help="Base IRI of the dataset's IRIs.")
def release_command(version: str, data: Path | None, out: Path, day: str | None, base: str) -> None:
    """Freeze the graph as release VERSION: a read-only copy with the ontology; since the previous
    release in OUT, CHANGES.txt and changeset.ru; its linked-open-data export in lod/ (dumps,
    void.ttl, and dcat.ttl: the release's DCAT description with owl:versionIRI, dcat:version,
    dcterms:issued, dcat:previousVersion and every file's byte size and SHA-256); SHA256SUMS.

    A version that exists is never written again (exit 2).
    """
    from .release import KINDS as CHANGED
    from .release import release

    try:
        r = release(version, data=data, out=out, day=day, base=base)
    except AdminKGError as exc:
        _fail(exc)
    click.echo(f"release {r.version} ({r.issued}): {r.path}, {len(r.files)} files")
    if r.changes is not None:
        counts = ", ".join(f"{plural} +{len(r.changes.of(kind, 'added'))} -{len(r.changes.of(kind, 'removed'))} "
                           f"~{len(r.changes.of(kind, 'changed'))}" for kind, plural in CHANGED.items())
        click.echo(f"since {r.previous}: {counts} ({r.path / 'CHANGES.txt'})")


@main.command("diff")
@click.argument("a", type=click.Path(path_type=Path))
@click.argument("b", type=click.Path(path_type=Path))
@click.option("--changeset", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Also write every triple removed and added: FILE.ru as SPARQL Update, FILE.ttl as an RDF changeset "
                   "(Talis changeset vocabulary).")
def diff_command(a: Path, b: Path, changeset: Path | None) -> None:
    """What changed from release (or Turtle folder) A to B: cases, agencies and awards added,
    removed and changed, and the number of triples; --changeset writes the triples to apply."""
    from .release import diff, format_diff, write_changeset

    try:
        d = diff(a, b)
        if changeset is not None:
            write_changeset(d, changeset)
    except AdminKGError as exc:
        _fail(exc)
    click.echo(format_diff(d), nl=False)


@main.command("queries")
@click.argument("name", required=False)
def list_queries(name: str | None) -> None:
    """List the query library (queries/*.rq): name, title and parameters with their defaults.

    With NAME, one query: its description and each parameter with its default and the values it
    accepts (an agency by official name, short form or IRI; a technology or grade by code or by
    Korean or English label, in any case).
    """
    from .params import accepted
    from .queries import get_query, library

    if name is None:
        for q in library():
            click.echo(f"{q.name}: {q.title}")
            for pname, default in q.params.items():
                kind = f"; a {q.accepts[pname]}: adminkg queries {q.name}" if pname in q.accepts else ""
                click.echo(f"    --param {pname}=…   (default: {default or 'any'}{kind})")
        return
    try:
        q = get_query(name)
        click.echo(f"{q.name}: {q.title}\n\n{q.description}\n")
        if not q.params:
            click.echo("no parameters")
        for pname, default in q.params.items():
            click.echo(f"--param {pname}=…   default: {default or '(empty: matches anything)'}")
            for line in accepted(q, pname):
                click.echo(f"    {line}")
    except AdminKGError as exc:
        _fail(exc)


@main.command()
@click.option("--data", type=click.Path(path_type=Path), default=None,
              help="A build folder (its store is served as it is) or a folder of Turtle files such as data/ttl "
                   "(loaded with the ontology and gazetteer into a temporary store)  [default: build; with "
                   "--writable: an empty store; with --site: the site's dump]")
@click.option("--site", type=click.Path(path_type=Path, file_okay=False, exists=True), default=None,
              help="A folder written by `adminkg export`: serve its pages with content negotiation (303 from /id/ "
                   "to /doc/, Accept or suffix) and the SPARQL endpoint at /sparql (read-only).")
@click.option("--port", type=click.IntRange(0, 65535), default=7878, show_default=True,
              help="Port on 127.0.0.1 (0: any free port).")
@click.option("--timeout", type=click.FloatRange(min=1), default=SERVE_TIMEOUT, show_default=True,
              help="Seconds a query may run: past them the client gets 504 Gateway Timeout and the query is "
                   "stopped (read-only: its oxigraph process is replaced by a fresh one). Writes are not timed.")
@click.option("--max-result-bytes", type=click.IntRange(min=1), default=DEFAULT_MAX_RESULT_BYTES, show_default=True,
              help="Largest answer sent, in bytes: a larger one is not sent, the client gets 500 saying so.")
@click.option("--workers", type=click.IntRange(min=1), default=DEFAULT_WORKERS, show_default=True,
              help=f"Requests answered at once; {WAITING_PER_WORKER} times as many connections may wait, more get "
                   "503 Service Unavailable with Retry-After.")
@click.option("--queries", type=click.IntRange(min=1), default=DEFAULT_QUERIES, show_default="one per core",
              help="Requests sent to the SPARQL server at once; the others wait for one to end (their --timeout "
                   "starts when they are sent), at most --timeout seconds, then get 503 Service Unavailable. More "
                   "than the cores only share them: each query takes longer.")
@click.option("--writable", is_flag=True, help="Accept SPARQL Update and Graph Store writes (default: read-only).")
def serve(data: Path, site: Path | None, port: int, timeout: float, max_result_bytes: int, workers: int,
          queries: int, writable: bool) -> None:
    """Serve the graph as a SPARQL 1.1 endpoint on 127.0.0.1 (and, with --site, an exported site).

    Without --site: the oxigraph server's endpoints (/query; with --writable also /update and
    /store) behind a bounded gateway: a fixed pool of --workers, of which --queries are sent to the
    server at once, answers up to --max-result-bytes and queries up to --timeout seconds; past a
    limit the client gets a one-line error saying which limit and the server goes on. With --site
    OUT (from `adminkg export`): every resource IRI /id/KIND/REF answers 303 See Other to its
    document /doc/KIND/REF (Vary: Accept), which answers HTML, Turtle, JSON-LD or N-Triples by the
    Accept header or a suffix (.html, .ttl, .jsonld, .nt); unknown resources 404; SPARQL at /sparql
    (read-only, the same limits; its service description links the VoID and DCAT descriptions); the
    data is the site's dump unless --data names another. Ctrl-C stops it.
    """
    from . import gateway
    from . import serve as serving

    def interrupt(_signum, _frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)  # stopped by a service manager: clean up as on Ctrl-C
    # Ctrl-C too where it was ignored (started in the background of a script, or by a process that
    # ignores it: Python then leaves SIGINT ignored)
    signal.signal(signal.SIGINT, interrupt)
    if site is not None and writable:
        _fail(AdminKGError("--site serves a read-only endpoint: leave out --writable"))
    reference = True
    if site is not None and data is None:
        data, reference = site / "dumps" / "adminkg.ttl", False
    if data is None and not writable:
        data = Path("build")
    limits = gateway.Limits(timeout=timeout, max_result_bytes=max_result_bytes, workers=workers, queries=queries)
    try:
        server = serving.start(data, timeout=limits.server_timeout, writable=writable, reference=reference)
    except AdminKGError as exc:
        _fail(exc)
    backend = gateway.Backend(server, replaceable=not writable, queries=limits.queries)
    front = None
    try:
        try:
            if site is not None:
                from .front import start_front

                front = start_front(site, backend, limits, host=serving.HOST, port=port)
            else:
                front = gateway.start_gateway(backend, limits, host=serving.HOST, port=port)
        except OSError as exc:
            _fail(AdminKGError(f"cannot listen on {serving.HOST}:{port}: {exc.strerror or exc}"))
        url = f"http://{serving.HOST}:{front.server_address[1]}"
        if site is not None:
            click.echo(f"site: {url}/  (resources: {url}/id/KIND/REF → 303 → {url}/doc/KIND/REF)")
            click.echo(f"SPARQL endpoint (read-only): {url}/sparql")
            endpoint = f"{url}/sparql"
        else:
            click.echo(f"SPARQL endpoint ({'read-write' if writable else 'read-only'}): {url}/query")
            if writable:
                click.echo(f"SPARQL Update: {url}/update\nGraph Store: {url}/store")
            endpoint = f"{url}/query"
        click.echo(f"limits: {limits.timeout:g} s a query, {limits.max_result_bytes:,} bytes an answer, "
                   f"{limits.workers} requests at once ({limits.waiting} more may wait), "
                   f"{limits.queries} sent to the SPARQL server at once")
        click.echo(f"try: adminkg query cases --endpoint {endpoint}   (Ctrl-C stops the server)")
        sys.stdout.flush()
        code = backend.wait()
        _fail(AdminKGError(f"the oxigraph server stopped (exit {code}): "
                           f"{' '.join(backend.current.log.read_text('utf-8', 'replace').split())[:500]}"))
    except KeyboardInterrupt:
        pass
    finally:
        if front is not None:
            front.shutdown()
            front.server_close()
        backend.close()


@main.command()
@click.option("--data", type=click.Path(path_type=Path), default=None,
              help="A build folder (its store, else its Turtle files) or a folder of Turtle files  [default: data/ttl]")
@click.option("--endpoint", metavar="URL", help="Read this SPARQL 1.1 endpoint instead of --data.")
@click.option("--graph", metavar="IRI", help="With --endpoint: the graph to read as the default graph.")
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=Path("build") / "analysis",
              show_default=True, help="Output folder: CSV tables, networks/, pictures/, report.html, measures.trig.")
@click.option("--min-confidence", type=float, default=0.0, show_default=True, callback=_probability, metavar="P",
              help="Leave out facts whose confidence is below P (a case or lead agency below P: the whole case); "
                   "every table says how many it left out.")
@click.option("--seed", type=int, default=None, help="Seed of Leiden, sampled betweenness, the permutation test and "
                                                      "the layouts  [default: analysis.toml's, 42]")
@click.option("--into", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Also add the measures (their own named graph) to the store of this build folder.")
@click.option("--font", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="A font file with Hangul glyphs for the pictures  [default: the first of analysis.toml's fonts]")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=DEFAULT_TIMEOUT, show_default=True,
              help="Seconds to wait for each query's answer.")
def analyze(data, endpoint, graph, out, min_confidence, seed, into, font, timeout) -> None:
    """Analyse the graph as networks: collaboration, agency types, technologies and their diffusion.

    Builds networkx graphs from library queries (agency–partner, agency–agency, agency–technology,
    technology co-occurrence, provinces), measures them (degree, betweenness, Burt's constraint,
    eigenvector centrality, Leiden communities, components), compares agencies by technology profile,
    and traces diffusion (first adopters, adoption curves, province spread, a neighbour-effect permutation
    test on 시군구 boundaries, an event-history table). Writes CSV, GraphML, GEXF (static and dynamic),
    PNG and SVG pictures, an HTML report and the measures as RDF; prints where the report is.

    A network of more than analysis.toml's igraph_above_nodes is measured with igraph (networkx's
    definitions, in C); above betweenness_exact_max_nodes, betweenness is sampled from betweenness_k
    source nodes. The notes, the report and summary.json say which measures were sampled, with what k.
    """
    from .analyze import analyze as run
    from .api import open_graph

    def progress(step: str) -> None:
        click.echo(f"analyze: {step}", err=True)

    kg = open_graph(data if data is not None or endpoint else paths.DATA_TTL_DIR, endpoint=endpoint, graph=graph,
                    timeout=timeout)
    try:
        report = run(kg, out=out, min_confidence=min_confidence, seed=seed, into=into, font=font, progress=progress,
                     source=endpoint or str(data or paths.DATA_TTL_DIR))
    except AdminKGError as exc:
        _fail(exc)
    for note in report.notes:
        click.echo(f"adminkg: note: {note}", err=True)
    s = report.summary
    click.echo(f"cases: {s['cases_kept']} of {s['cases']} analysed"
               + (f" (left out: {', '.join(f'{n} {k}' for k, n in s['cases_left_out'].items())})"
                  if s["cases_left_out"] else ""))
    for name, net in s["networks"].items():
        click.echo(f"  {name:<18} {net['nodes']:>6} nodes {net['edges']:>7} edges  {net['communities']:>4} communities "
                   f"(modularity {net['modularity']:.3f})  betweenness {net['betweenness']}"
                   + (" (igraph)" if net["engine"] == "igraph" else ""))
    click.echo(f"seconds: {sum(report.timings.values()):.1f}")
    if "store" in report.files:
        click.echo(f"measures added to {report.files['store']}")
    click.echo(f"report: {report.report}")


@main.command()
@click.option("--data", type=click.Path(path_type=Path), default=None,
              help="A build folder or a folder of Turtle to export (default: data/ttl); the ontology, "
                   "vocabularies and gazetteer are always added.")
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=Path("build") / "site",
              show_default=True, help="Folder to write (replaced atomically).")
@click.option("--base", default=None, metavar="IRI",
              help="Base of the published IRIs: things are BASE id/KIND/REF, their documents BASE doc/KIND/REF. "
                   "Default: https://w3id.org/adminkg/.")
@click.option("--scores", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="The extractor's measured scores (JSON of `adminkg evaluate --json`) for the DQV precision "
                   "measurements. Default: site/extraction-scores.json.")
def export(data: Path | None, out: Path, base: str | None, scores: Path | None) -> None:
    """Publish the graph as linked open data: dumps, VoID/DCAT descriptions, a static site.

    Writes OUT/dumps (Turtle, N-Triples, JSON-LD, RDF/XML, each also gzipped; the ontology, shapes
    and vocabularies), OUT/context.jsonld, OUT/void.ttl and OUT/dcat.ttl (checked against their
    shapes), a page per resource in HTML, Turtle, JSON-LD and N-Triples, class indexes, a label
    search, the ontology and vocabulary documentation, and OUT/server/{nginx,apache}.conf. The same
    graph gives the same bytes. Exit 2 when an input file cannot be read (named; the rest is
    exported), 1 when a description does not conform.
    """
    from .export import export as run

    try:
        report = run(data, out, base=base, scores=scores, progress=lambda msg: click.echo(msg, err=True))
    except AdminKGError as exc:
        _fail(exc)
    for err in report.errors:
        click.echo(f"adminkg: error: {err}", err=True)
    click.echo(f"exported {report.triples} triples under {report.base}id/ to {report.out}: {report.pages} pages, "
               f"{report.files} files, {report.bytes / 1e6:.1f} MB in {report.seconds:.1f} s")
    for d in report.dumps:
        if not d.compressed:
            click.echo(f"  {d.path:<28} {d.size:>12,} bytes  sha256 {d.sha256[:16]}…")
    click.echo(f"try: adminkg serve --site {report.out}")
    sys.exit(2 if report.errors else 0)


@main.command()
@click.option("--endpoint", required=True, metavar="URL",
              help="Graph Store Protocol URL (e.g. http://host/store, Virtuoso: .../sparql-graph-crud-auth), or a "
                   "SPARQL Update URL.")
@click.option("--data", type=click.Path(path_type=Path), default=None,
              help="A build folder or Turtle file to publish (default: data/ttl).")
@click.option("--graph", default=DEFAULT_GRAPH, show_default=True, metavar="IRI", help="The named graph to write.")
@click.option("--user", default=None, help="User name, if the endpoint asks (Basic or Digest).")
@click.option("--password", default=None, envvar="ADMINKG_PASSWORD",
              help="Password (or the environment variable ADMINKG_PASSWORD).")
@click.option("--protocol", type=click.Choice(PROTOCOLS), default="auto", show_default=True,
              help="gsp = SPARQL 1.1 Graph Store HTTP Protocol, update = SPARQL 1.1 Update, auto = Graph Store, "
                   "else Update.")
@click.option("--graph-param", default="graph", show_default=True,
              help="The Graph Store query parameter that names the graph (Virtuoso also reads graph-uri).")
@click.option("--query-endpoint", default=None, metavar="URL",
              help="Where to count the published triples (default: read the graph back).")
@click.option("--chunk", "chunk_size", type=click.IntRange(min=1), default=DEFAULT_CHUNK, show_default=True,
              help="Triples per request.")
@click.option("--append", is_flag=True, help="Add to the graph instead of replacing it.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=DEFAULT_TIMEOUT, show_default=True,
              help="Seconds to wait for each answer.")
def publish(endpoint, data, graph, user, password, protocol, graph_param, query_endpoint, chunk_size, append,
            timeout) -> None:
    """Upload the graph (ontology, vocabularies, gazetteer and data) to a remote store in chunks,
    then check that the remote graph holds every triple.

    Exit status 2 for unreadable data, 3 when the endpoint fails or the count differs.
    """
    from .publish import publish as do_publish

    tty = sys.stderr.isatty()

    def progress(done: int, total: int) -> None:
        line = f"published {done:,}/{total:,} triples ({100 * done // max(total, 1)}%)"
        click.echo("\r" + line if tty else line, nl=not tty or done >= total, err=True)

    try:
        report = do_publish(endpoint, data=data, graph=graph, user=user, password=password,
                            protocol=protocol, chunk_size=chunk_size, query_endpoint=query_endpoint,
                            graph_param=graph_param, append=append, timeout=timeout, progress=progress)
    except AdminKGError as exc:
        _fail(exc)
    click.echo(report.summary())


if __name__ == "__main__":  # pragma: no cover
    main()
