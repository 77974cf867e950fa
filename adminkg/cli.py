"""The ``adminkg`` command line. Each command parses options and calls one engine function;
only this module turns errors into exit codes (0 ok, 1 does not conform, 2 bad input, 3 endpoint)."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__, paths
from .errors import AdminKGError
from .namespaces import DEFAULT_BASE

LANGS = click.Choice(["en", "ko"])


def _fail(exc: AdminKGError) -> None:
    click.echo(f"adminkg: error: {exc}", err=True)
    sys.exit(exc.exit_code)


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
def validate(files: tuple[Path, ...], lang: str, limit: int) -> None:
    """Validate RDF FILES (default: ontology, vocabularies and data/ttl) against the SHACL shapes.

    Prints a human-readable report. Exit status 1 when there is a violation, 2 when a file
    cannot be read (the others are still validated); warnings alone exit 0.
    """
    from .validate import format_report
    from .validate import validate as run

    try:
        report = run(list(files) or None)
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

    FILES default to the ontology, vocabularies and data/ttl.
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


if __name__ == "__main__":  # pragma: no cover
    main()
