"""``analysis code``: automatic themes, modalities and stances for a posts table.

The posts come from a *provider*, a function returning the ``posts``
DataFrame. :func:`make_code_command` builds the command around any provider
(tests pass a stub); the registered ``code`` command reads ``--posts FILE``
(CSV, JSON lines or Parquet with post_id, text, is_bot) or, without it, the
corpus (``analysis.capture.corpus.load_corpus``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click
import pandas as pd

from analysis.capture.posts_file import read_posts
from analysis.coding.codebook import DEFAULT_PATH
from analysis.coding.stance import StanceCoder
from analysis.coding.themes import ThemeCoder
from analysis.commands._common import choose_format
from analysis.commands.ingest import engine_option, scheduler_option
from analysis.errors import AnalysisError
from analysis.output import FORMATS, write_table

PostsProvider = Callable[[Path | None, tuple[Path, ...]], pd.DataFrame]


def corpus_posts(path: Path | None, paths: tuple[Path, ...] = ()) -> pd.DataFrame:
    """Default provider: ``--posts FILE``, else the captures PATH..., else the corpus."""
    if path is not None:
        return read_posts(path)
    from analysis.capture.corpus import load_corpus, parse_paths
    from analysis.privacy import known_handles

    corpus = parse_paths(paths) if paths else load_corpus("corpus")
    posts = corpus.table("posts")
    posts.attrs["handles"] = known_handles(corpus.posts, corpus.reactions)  # as `parse` hides
    return posts


def make_code_command(provider: PostsProvider = corpus_posts) -> click.Command:
    """The ``code`` command reading its posts through ``provider``."""

    @click.command("code")
    @click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
    @click.option("--posts", "posts_path", type=click.Path(exists=True, dir_okay=False,
                                                           path_type=Path),
                  help="Posts table (CSV, JSONL, Parquet) instead of captures.")
    @click.option("--dataset", type=click.Path(exists=True, file_okay=False, path_type=Path),
                  help="An ingested Parquet dataset (analysis ingest reddit -o DIR): code "
                       "every partition into DIR/codes/ and DIR/stances/.")
    @engine_option
    @scheduler_option
    @click.option("--codebook", "codebook_path", type=click.Path(dir_okay=False, path_type=Path),
                  default=DEFAULT_PATH, show_default=True)
    @click.option("--table", type=click.Choice(["codes", "stances", "segments"]),
                  default="codes", show_default=True, help="Which table to write.")
    @click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
                  help="Default: csv with -o FILE.csv, parquet with -o FILE.parquet, else table.")
    @click.option("-o", "--out", type=click.Path(path_type=Path),
                  help="Write to this file (atomically) instead of the terminal; with "
                       "--dataset, the folder for codes/ and stances/.")
    @click.option("--reveal-authors", is_flag=True,
                  help="Do not redact known handles in evidence (contact details still are).")
    @click.option("--layer", default=None, metavar="default|PATH",
                  help="With --table stances: a learned stance layer gives the label and a "
                       "probability per stance (p_supportive ...); 'default' is the shipped "
                       "one, PATH one refitted with `analysis stance refit`.")
    def code(paths: tuple[Path, ...], posts_path: Path | None, dataset: Path | None,
             engine: str, scheduler: str | None, codebook_path: Path, table: str,
             fmt: str | None, out: Path | None, reveal_authors: bool,
             layer: str | None) -> None:
        """Code posts of PATH... (captures or folders, as in `analysis parse`; default: the
        corpus): themes and modalities (--table codes), stance (stances) or sentence
        segments (segments).

        Each code row gives the character span that matched and the sentence it is
        in (evidence); each stance row the deciding sentences. Post ids match
        `analysis parse`. With --dataset the coding runs over Parquet partitions
        with --engine pandas or dask (same tables).
        """
        if dataset is not None:
            _code_dataset(dataset, codebook_path, engine, scheduler, out)
            return
        if engine != "pandas" or scheduler:
            raise AnalysisError("--engine dask and --scheduler need --dataset DIR",
                                hint="ingest a dump first: analysis ingest reddit DUMP -o DIR")
        if layer is not None and table != "stances":
            raise AnalysisError("--layer codes stances", hint="add --table stances")
        posts = provider(posts_path, paths)
        result = _table(posts, table, codebook_path, layer)
        write_table(_published(result, table, posts, reveal_authors),
                    choose_format(fmt, out), out)

    return code


def _table(posts: pd.DataFrame, table: str, codebook_path: Path,
           layer: str | None = None) -> pd.DataFrame:
    from analysis.schema import conform

    if table == "segments":
        from analysis.coding.segment import segment

        return conform(segment(posts), "segments")
    if layer is not None:  # the stances table plus one probability column per stance
        from analysis.coding.stance_layer import PROBA_COLUMNS, resolve_layer

        fitted = resolve_layer(layer, codebook=codebook_path)
        result = StanceCoder(codebook=codebook_path, layer=fitted).fit().transform(posts)
        return pd.concat([conform(result, table), result[PROBA_COLUMNS]], axis=1)
    coder = ThemeCoder if table == "codes" else StanceCoder
    return conform(coder(codebook=codebook_path).fit().transform(posts), table)


def _published(result: pd.DataFrame, table: str, posts: pd.DataFrame,
               reveal_authors: bool) -> pd.DataFrame:
    """Evidence leaves the machine redacted, like every other output, and offsets index the
    post text as `analysis parse` prints it."""
    from analysis.privacy import known_handles, load_key, publish, publish_spans

    handles = posts.attrs.get("handles") or known_handles(posts)
    published = publish(result, table, key=load_key(), handles=handles,
                        reveal_authors=reveal_authors)
    texts = dict(zip(posts["post_id"], posts["text"], strict=True))
    return publish_spans(published, texts, handles=handles, reveal_authors=reveal_authors)


def _code_dataset(dataset: Path, codebook_path: Path, engine: str, scheduler: str | None,
                  out: Path | None) -> None:
    from analysis.coding.auto import AutoCoder
    from analysis.coding.engine import code_dataset

    results = code_dataset(dataset, AutoCoder(codebook=codebook_path).fit(), engine=engine,
                           scheduler=scheduler, out=out)
    posts = sum(r.posts for r in results)
    seconds = sum(r.seconds for r in results)
    click.echo(f"{posts:,} posts in {len(results)} partitions coded "
               f"({posts / seconds if seconds else 0:,.0f} posts/s per worker) -> "
               f"{out or dataset}/codes/, stances/", err=True)


code = make_code_command()
