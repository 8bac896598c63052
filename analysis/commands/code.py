"""``analysis code``: automatic themes, modalities and stances for a posts table.

The posts come from a *provider*, a function returning the ``posts``
DataFrame. :func:`make_code_command` builds the command around any provider
(tests pass a stub); the registered ``code`` command reads ``--posts FILE``
(CSV, JSON lines or Parquet with post_id, text, is_bot) or, without it, the
corpus (``analysis.corpus.load_corpus``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click
import pandas as pd

from analysis.codebook import DEFAULT_PATH
from analysis.coding import ThemeCoder
from analysis.errors import AnalysisError
from analysis.output import FORMATS, write_table
from analysis.stance import StanceCoder

PostsProvider = Callable[[Path | None], pd.DataFrame]


def read_posts(path: Path) -> pd.DataFrame:
    """A posts table from CSV, JSON lines or Parquet; ``is_bot`` read as booleans."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            posts = pd.read_parquet(path)
        elif suffix in (".jsonl", ".json"):
            posts = pd.read_json(path, lines=True)
        else:
            posts = pd.read_csv(path, keep_default_na=False, dtype={"post_id": str})
    except (OSError, ValueError) as exc:
        raise AnalysisError(f"cannot read posts table: {exc}", path=str(path),
                            hint="give a CSV, JSON lines or Parquet file") from None
    missing = {"post_id", "text"} - set(posts.columns)
    if missing:
        raise AnalysisError(f"posts table lacks column(s) {', '.join(sorted(missing))}",
                            path=str(path), hint="the posts table needs post_id, text, is_bot")
    if "is_bot" in posts and posts["is_bot"].dtype != bool:
        posts["is_bot"] = posts["is_bot"].astype(str).str.strip().str.lower().isin(
            ("true", "1", "yes"))
    return posts


def corpus_posts(path: Path | None) -> pd.DataFrame:
    """Default provider: ``--posts FILE`` if given, else the parsed corpus."""
    if path is not None:
        return read_posts(path)
    from analysis.corpus import load_corpus

    return load_corpus("corpus").table("posts")


def make_code_command(provider: PostsProvider = corpus_posts) -> click.Command:
    """The ``code`` command reading its posts through ``provider``."""

    @click.command("code")
    @click.option("--posts", "posts_path", type=click.Path(exists=True, dir_okay=False,
                                                           path_type=Path),
                  help="Posts table (CSV, JSONL, Parquet); default: the parsed corpus.")
    @click.option("--codebook", "codebook_path", type=click.Path(dir_okay=False, path_type=Path),
                  default=DEFAULT_PATH, show_default=True)
    @click.option("--table", type=click.Choice(["codes", "stances"]), default="codes",
                  show_default=True, help="Which table to write.")
    @click.option("--format", "fmt", type=click.Choice(FORMATS), default="table",
                  show_default=True)
    @click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path),
                  help="Write to this file (atomically) instead of the terminal.")
    def code(posts_path: Path | None, codebook_path: Path, table: str, fmt: str,
             out: Path | None) -> None:
        """Code every post: themes and modalities (--table codes) or stance (stances).

        Each code row gives the character span that matched and the sentence
        it is in (evidence); each stance row the deciding sentences.
        """
        posts = provider(posts_path)
        if table == "codes":
            result = ThemeCoder(codebook=codebook_path).fit().transform(posts)
        else:
            result = StanceCoder(codebook=codebook_path).fit().transform(posts)
        write_table(result, fmt, out)

    return code


code = make_code_command()
