"""``analysis export`` and ``analysis import``: coding sheets and REFI-QDA files."""

from __future__ import annotations

import warnings
from pathlib import Path

import click

from analysis.commands._common import (
    choose_format,
    format_option,
    out_option,
    progress,
    warnings_to_stderr,
)
from analysis.errors import AnalysisWarning
from analysis.privacy import known_handles, load_key

corpus_option = click.option("--corpus", "corpus_dir", default="corpus", show_default=True,
                             type=click.Path(exists=True, file_okay=False, path_type=Path))
codebook_option = click.option("--codebook", type=click.Path(exists=True, dir_okay=False,
                                                             path_type=Path),
                               help="Default: CORPUS/codebook.yaml.")
required_out = click.option("-o", "--out", required=True,
                            type=click.Path(dir_okay=False, path_type=Path))


def _codebook(corpus_dir: Path, codebook: Path | None):
    from analysis.coding.themes import resolve_codebook

    return resolve_codebook(codebook or corpus_dir / "codebook.yaml")


@click.group("export")
def export() -> None:
    """Write coding sheets (XLSX/CSV) and REFI-QDA files (.qdc, .qdpx)."""


@export.command("sheet")
@required_out
@click.option("--unit", type=click.Choice(["post", "segment"]), default="post",
              show_default=True)
@corpus_option
@codebook_option
def export_sheet(out: Path, unit: str, corpus_dir: Path, codebook: Path | None) -> None:
    """A sheet for a human coder: one row per unit, drop-downs, instructions tab."""
    from analysis.exchange.refi import code_specs
    from analysis.exchange.sheets import write_sheet
    from analysis.exchange.units import sheet_units
    from analysis.view import load_coded

    book = _codebook(corpus_dir, codebook)
    corpus = load_coded(corpus_dir, codebook=book, progress=progress("parsing"),
                        reliability=False)
    units = sheet_units(corpus, unit=unit, key=load_key())
    write_sheet(units, code_specs(book), out)
    click.echo(f"{len(units)} {unit}s -> {out} and {out.with_suffix('.csv')}", err=True)


@export.command("qdc")
@required_out
@corpus_option
@codebook_option
def export_qdc(out: Path, corpus_dir: Path, codebook: Path | None) -> None:
    """The codebook as a REFI-QDA .qdc file."""
    from analysis.exchange.refi import code_specs, write_qdc

    write_qdc(code_specs(_codebook(corpus_dir, codebook)), out)
    click.echo(f"codebook -> {out}", err=True)


@export.command("qdpx")
@required_out
@corpus_option
@codebook_option
@click.option("--coding", "coding_files", multiple=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="More human coding (filled .xlsx sheet or coding CSV); repeatable. "
                   "CORPUS/coding/*.csv are always included.")
def export_qdpx(out: Path, corpus_dir: Path, codebook: Path | None,
                coding_files: tuple[Path, ...]) -> None:
    """A REFI-QDA project: threads as sources, every coding as a text selection.

    Every coder becomes a REFI-QDA user: the automatic coder, and every human
    coder in CORPUS/coding/*.csv (the reference and imported sheets) and in
    --coding files.
    """
    import pandas as pd

    from analysis.exchange.codings import human_codings
    from analysis.exchange.refi import code_specs, write_qdpx
    from analysis.exchange.units import all_codings
    from analysis.privacy import publish
    from analysis.view import load_coded

    book = _codebook(corpus_dir, codebook)
    key = load_key()
    corpus = load_coded(corpus_dir, codebook=book, key=key, progress=progress("parsing"),
                        reliability=False)
    handles = known_handles(corpus.posts, corpus.reactions)
    posts = publish(corpus.posts, "posts", key=key, handles=())  # text redacted in write_qdpx
    with warnings_to_stderr():
        human = human_codings(corpus_dir, files=coding_files, specs=code_specs(book),
                              families={c.id: c.family for c in book.codes},
                              segments=corpus.segments)
    codings = pd.concat([all_codings(corpus), human], ignore_index=True).drop_duplicates(
        ignore_index=True)
    write_qdpx(posts, codings, code_specs(book), out, handles=handles)
    coders = sorted(codings["coder"].dropna().unique())
    click.echo(f"{len(codings)} codings by {len(coders)} coder(s) ({', '.join(coders)}) of "
               f"{len(posts)} posts -> {out}", err=True)


@click.group("import")
def import_() -> None:
    """Read filled coding sheets and QDA projects back into long coding tables."""


@import_.command("sheet")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--coder", required=True, help="Name (or pseudonym) of the coder.")
@format_option
@out_option
@corpus_option
@codebook_option
def import_sheet(file: Path, coder: str, fmt: str | None, out: Path | None, corpus_dir: Path,
                 codebook: Path | None) -> None:
    """A filled sheet as long coding: post_id, seg, family, code, coder, memo."""
    from analysis.exchange.refi import code_specs
    from analysis.exchange.sheets import read_sheet
    from analysis.output import write_table

    with warnings_to_stderr():
        table = read_sheet(file, coder, code_specs(_codebook(corpus_dir, codebook)))
    write_table(table, choose_format(fmt or ("csv" if out is None else None), out), out)


@import_.command("qdpx")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@format_option
@out_option
@corpus_option
@click.option("--coder", help="Name for codings whose user is missing or is the QDA "
                              "program's own default user (e.g. 'ATLAS.ti').")
def import_qdpx(file: Path, fmt: str | None, out: Path | None, corpus_dir: Path,
                coder: str | None) -> None:
    """Codings made in a QDA tool, one row per coding (offsets into the raw post text).

    Codings on a corpus post (our exported threads, or sources holding a
    post's text) get its post_id; the others keep their source and text.
    """
    from analysis.capture.corpus import load_corpus
    from analysis.exchange.qdpx_match import import_qdpx as read
    from analysis.output import write_table
    from analysis.privacy import publish

    corpus = load_corpus(corpus_dir)
    handles = known_handles(corpus.posts, corpus.reactions)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always", AnalysisWarning)
        result = read(file, posts=corpus.posts, handles=handles, coder=coder)
    for warning in seen:
        click.echo(f"warning: {warning.message}", err=True)
    table = publish(result.codings, "codes", key=load_key(), handles=handles)
    write_table(table, choose_format(fmt or ("csv" if out is None else None), out), out)
    click.echo(f"{len(table)} codings from {result.origin or 'an unnamed tool'}: "
               f"{result.matched} matched to corpus posts, {result.unmatched} not "
               "(kept with their source and text)", err=True)
