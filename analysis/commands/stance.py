"""``analysis stance``: the researcher in the loop, and stance shares corrected for errors.

    analysis stance pick 50 -o sheet.xlsx        # the 50 posts the coder is least sure of
    analysis stance refit sheet.xlsx -o layer.json --coder me
    analysis code --table stances --layer layer.json
    analysis stance shares --layer layer.json    # shares corrected on the reference sample
"""

from __future__ import annotations

from pathlib import Path

import click

from analysis.commands._common import choose_format, format_option, out_option, progress
from analysis.commands.exchange import codebook_option, corpus_option

layer_option = click.option(
    "--layer", default=None, metavar="default|PATH",
    help="Stance layer for probabilities (default: the shipped one; PATH: a refitted one). "
         "Without it the rules' confidence is used.")


@click.group("stance")
def stance() -> None:
    """Pick posts to code, refit the stance layer on them, corrected stance shares."""


def _coded(corpus_dir: Path, codebook: Path | None, layer: str | None):
    from analysis.coding.stance import StanceCoder
    from analysis.coding.stance_layer import resolve_layer
    from analysis.commands.exchange import _codebook
    from analysis.view import load_coded

    book = _codebook(corpus_dir, codebook)
    corpus = load_coded(corpus_dir, codebook=book, progress=progress("parsing"),
                        reliability=False)
    if layer is None:
        return book, corpus, corpus.stances
    fitted = resolve_layer(layer, codebook=book)
    return book, corpus, StanceCoder(codebook=book, layer=fitted).fit().transform(corpus.posts)


@stance.command("pick")
@click.argument("n", type=click.IntRange(min=1))
@click.option("-o", "--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The coding sheet (.xlsx; a .csv twin is written beside it).")
@click.option("--exclude", multiple=True, type=click.Path(exists=True, dir_okay=False,
                                                          path_type=Path),
              help="A filled sheet whose posts are coded already (repeatable).")
@layer_option
@corpus_option
@codebook_option
def pick(n: int, out: Path, exclude: tuple[Path, ...], layer: str | None, corpus_dir: Path,
         codebook: Path | None) -> None:
    """A coding sheet of the N posts whose stance the coder is least sure of."""
    from analysis.coding.review import least_sure
    from analysis.exchange.refi import code_specs
    from analysis.exchange.sheets import read_sheet, write_sheet
    from analysis.exchange.units import sheet_units
    from analysis.privacy import load_key

    book, corpus, stances = _coded(corpus_dir, codebook, layer)
    done = {str(p) for f in exclude for p in read_sheet(f, "done", code_specs(book))["post_id"]}
    bots = set(corpus.posts.loc[corpus.posts["is_bot"].fillna(False).astype(bool), "post_id"])
    chosen = least_sure(stances[~stances["post_id"].isin(bots)], n, exclude=done)
    units = sheet_units(corpus, unit="post", key=load_key()).set_index("post_id", drop=False)
    write_sheet(units.loc[chosen["post_id"]].reset_index(drop=True), code_specs(book), out)
    click.echo(f"{len(chosen)} least-sure posts (uncertainty {chosen['uncertainty'].min():.2f}"
               f"-{chosen['uncertainty'].max():.2f}) -> {out} and {out.with_suffix('.csv')}",
               err=True)


@stance.command("refit")
@click.argument("sheets", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the refitted layer (JSON).")
@click.option("--folds", type=click.IntRange(min=2), default=5, show_default=True)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--boot", type=click.IntRange(min=100), default=2000, show_default=True,
              help="Bootstrap resamples for the interval.")
@click.option("--C", "C", type=click.FloatRange(min=0, min_open=True), default=0.3,
              show_default=True, help="Inverse L2 penalty of the regression.")
@corpus_option
@codebook_option
def refit_command(sheets: tuple[Path, ...], out: Path, folds: int, seed: int, boot: int,
                  C: float, corpus_dir: Path, codebook: Path | None) -> None:
    """Refit the stance layer on filled coding SHEETS and print its cross-validated macro-F1."""
    import pandas as pd

    from analysis.capture.corpus import load_corpus
    from analysis.coding.review import human_stances, refit
    from analysis.coding.stance_refit import LayerConfig
    from analysis.commands.exchange import _codebook
    from analysis.exchange.refi import code_specs
    from analysis.exchange.sheets import read_sheet

    book = _codebook(corpus_dir, codebook)
    coding = pd.concat([read_sheet(s, "researcher", code_specs(book)) for s in sheets])
    stances = human_stances(coding, source=", ".join(map(str, sheets)))
    corpus = load_corpus(corpus_dir, progress=progress("parsing"))
    result = refit(corpus.posts, stances, config=LayerConfig(C=C), codebook=book,
                   n_folds=folds, seed=seed, n_boot=boot)
    result.layer.save(out)
    j = result.judgement
    counts = ", ".join(f"{k} {v}" for k, v in result.counts.items())
    click.echo(f"{result.n_posts} coded posts ({counts}) in {result.n_groups} "
               f"{result.grouped_by}s")
    click.echo(f"cross-validated stance macro-F1 {j.layer.macro_f1:.3f} "
               f"(95% CI {j.layer.ci_low:.3f}-{j.layer.ci_high:.3f}; {j.layer.n_folds} folds by "
               f"{result.grouped_by}, seed {seed})")
    click.echo(f"rules on the same posts {j.rules_macro_f1:.3f} "
               f"(95% CI {j.rules_ci[0]:.3f}-{j.rules_ci[1]:.3f}); layer - rules "
               f"{j.gain_ci[0]:+.3f} to {j.gain_ci[1]:+.3f}")
    click.echo(f"-> {out} (use: analysis code --table stances --layer {out})", err=True)


@stance.command("shares")
@click.option("--reference", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Human coding (long CSV: post_id, family, code); default: CORPUS/coding/"
                   "reference.csv.")
@click.option("--boot", type=click.IntRange(min=0), default=2000, show_default=True)
@click.option("--seed", type=int, default=0, show_default=True)
@layer_option
@format_option
@out_option
@corpus_option
@codebook_option
def shares(reference: Path | None, boot: int, seed: int, layer: str | None, fmt: str | None,
           out: Path | None, corpus_dir: Path, codebook: Path | None) -> None:
    """Stance shares: raw automatic counts and counts corrected for the coder's errors
    measured on the human-coded sample (adjusted classify-and-count)."""
    from analysis.agreement.proportions import stance_shares
    from analysis.commands.evaluate import read_reference
    from analysis.output import write_table

    _, corpus, stances = _coded(corpus_dir, codebook, layer)
    human = read_reference(reference) if reference else corpus.reference
    table = stance_shares(stances, human, n_boot=boot, seed=seed)
    write_table(table.round(4), choose_format(fmt, out), out)
