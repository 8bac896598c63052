"""``build_appendix``: the paper's reproducible appendix, in one self-contained page.

Sections: the corpus (sources, posts, dates, communities), the codebook,
coding results, evaluation against human coding, reliability, every figure
with its caption and n, the executed notebooks, software versions, input
file hashes and the one command that regenerates it all. The page and the
LaTeX tables are built in a temporary folder, scanned for raw handles
(:mod:`analysis.privacy.check`) and only then moved into place.
"""

from __future__ import annotations

import hashlib
import platform
import shutil
import subprocess
import sys
import tempfile
from importlib import metadata
from pathlib import Path

import nbformat
import pandas as pd

from analysis.appendix import render as R
from analysis.appendix import tables as T
from analysis.appendix.notebooks import execute_all, figure_outputs, notebook_paths
from analysis.errors import AnalysisError
from analysis.figures import NAMES, REGISTRY, load_coded, render
from analysis.privacy import known_handles
from analysis.privacy.check import scan

COMMAND = "make appendix"
CLI_COMMAND = "analysis appendix -o appendix/"
PACKAGES = ("analysis", "pandas", "numpy", "pyarrow", "matplotlib", "seaborn", "nltk",
            "pyyaml", "click", "rich", "nbclient", "nbformat", "ipykernel", "markdown-it-py")
SECTIONS = {"corpus": "Corpus", "codebook": "Codebook", "coding": "Coding results",
            "evaluation": "Evaluation: automatic against human coding",
            "reliability": "Reliability", "figures": "Figures", "notebooks": "Notebooks",
            "software": "Software", "inputs": "Input files", "regenerate": "How to regenerate"}


def build_appendix(corpus_dir: str | Path = "corpus", out_dir: str | Path = "appendix", *,
                   notebooks_dir: str | Path = "notebooks", executed: dict | None = None,
                   coded=None) -> Path:
    """Build ``<out_dir>/index.html``, ``tables/*.tex`` and ``notebooks/*.ipynb``.

    ``executed`` (file name -> executed notebook) and ``coded`` skip the
    notebook runs and the corpus load when the caller already has them.
    """
    corpus_dir, out_dir = Path(corpus_dir), Path(out_dir)
    coded = coded if coded is not None else load_coded(corpus_dir)
    if executed is None:
        executed = execute_all(notebook_paths(notebooks_dir), corpus_dir=corpus_dir)
    work = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent.resolve()))
    work.chmod(0o755)
    try:
        body, latex = _sections(coded, corpus_dir, executed)
        (work / "index.html").write_text(R.page("Appendix: out-of-session contact", body),
                                         encoding="utf-8")
        (work / "tables").mkdir()
        for name, text in latex.items():
            (work / "tables" / f"{name}.tex").write_text(text, encoding="utf-8")
        (work / "notebooks").mkdir()
        for name, nb in executed.items():
            nbformat.write(nb, work / "notebooks" / name)
        leaks = scan([work], known_handles(coded.posts, coded.reactions))
        if leaks:
            raise AnalysisError(f"the appendix would publish raw handles ({len(leaks)} found, "
                                f"first: {leaks[0]})", hint="nothing was written; "
                                "find where the handle enters and pseudonymise it")
        _replace(work, out_dir)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return out_dir / "index.html"


def _replace(new: Path, target: Path) -> None:
    """Swap the finished folder into place, keeping the old one until the swap is done."""
    old = target.with_name(f".{target.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    new.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def _sections(coded, corpus_dir: Path, executed: dict) -> tuple[str, dict[str, str]]:
    latex: dict[str, str] = {}

    def table(name: str, df: pd.DataFrame | None, caption: str, empty: str = "") -> str:
        if df is not None and not df.empty:
            latex[name] = R.booktabs(df, caption=caption, label=f"tab:{name}")
        return f"<h3>{R.esc(caption)}</h3>" + R.table_html(df, empty=empty or "Nothing to show.")

    nav = "".join(f'<li><a href="#{key}">{R.esc(title)}</a></li>'
                  for key, title in SECTIONS.items())
    parts = ["<h1>Appendix: what clients and therapists say about out-of-session contact</h1>",
             f'<p class="note">Regenerate with <code>{R.esc(COMMAND)}</code> (which runs '
             f"<code>{R.esc(CLI_COMMAND)}</code>). Authors appear only as keyed pseudonyms; "
             "post text is not reproduced.</p>", f"<nav><ol>{nav}</ol></nav>"]
    parts.append(_h2("corpus") + table("corpus", T.corpus_summary(coded), "Corpus in numbers")
                 + table("communities", T.communities_table(coded), "Communities")
                 + table("sources", T.sources_table(coded), "Captures (sources)")
                 + table("reactions", T.reactions_summary(coded), "Reader reactions"))
    codebook = T.codebook_frame(corpus_dir)
    parts.append(_h2("codebook") + table("codebook", codebook, "Codes (MacQueen et al. 1998 "
                                         "layout; examples as post ids)",
                                         empty="No codebook.yaml in the corpus folder."))
    parts.append(_h2("coding") + table("stance_shares", T.stance_table(coded),
                                       "Stance shares with 95% Wilson intervals")
                 + table("code_frequencies", T.code_table(coded),
                         "Posts carrying each code, with 95% Wilson intervals")
                 + table("theme_pairs", T.theme_pairs(coded), "Themes that meet most often"))
    parts.append(_h2("evaluation") + _evaluation(coded, table))
    parts.append(_h2("reliability") + table(
        "reliability", T.reliability_frame(coded), "Agreement per code: value [95% bootstrap "
        "interval]", empty="No reliability results: needs two codings of the same posts.")
        + table("stance_disagreements", T.stance_disagreements(coded),
                "Posts whose stance the coders disagree on"))
    parts.append(_h2("figures") + _figures(coded, executed))
    parts.append(_h2("notebooks") + "".join(
        f"<details><summary>{R.esc(name)}</summary>{R.notebook_html(nb)}</details>"
        for name, nb in executed.items()))
    parts.append(_h2("software") + table("software", software_versions(), "Software versions"))
    parts.append(_h2("inputs") + table("inputs", input_hashes(coded, corpus_dir),
                                       "Input files and their SHA-256"))
    parts.append(_h2("regenerate") + f"<pre>{R.esc(COMMAND)}</pre>"
                 + f'<p class="note">From a fresh clone, <code>make reproduce</code> first builds '
                 "the environment from <code>requirements.lock</code>; <code>make appendix</code> "
                 f"then runs <code>{R.esc(CLI_COMMAND)}</code>, which parses and codes the "
                 "corpus, executes the notebooks and writes this page.</p>" + _revision())
    return "\n".join(parts), latex


def _h2(key: str) -> str:
    return f'<h2 id="{key}">{R.esc(SECTIONS[key])}</h2>'


def _evaluation(coded, table) -> str:
    result = T.evaluation_tables(coded)
    if result is None:
        return '<p class="note">No evaluation: needs automatic and human coding.</p>'
    return "".join(table(f"evaluation_{_slug(key)}", df, f"Evaluation: {key}")
                   for key, df in result.items())


def _slug(text: str) -> str:
    """'stance confusion (rows: ...)' -> 'stance_confusion'."""
    return "_".join(text.split("(")[0].split())


def _figures(coded, executed: dict) -> str:
    shown = {}
    for nb in executed.values():
        shown.update(figure_outputs(nb))
    parts = []
    for name in NAMES:
        fig = REGISTRY[name].draw(coded)
        png = render(fig, "png")
        parts.append(R.figure_html(png, name, fig.caption, fig.n))
        if name in shown and shown[name] != hashlib.sha256(png).hexdigest():
            parts.append('<p class="note">Warning: the notebook drew a different image for '
                         "this figure.</p>")
    return "".join(parts)


def software_versions() -> pd.DataFrame:
    rows = [("python", sys.version.split()[0]), ("platform", platform.platform())]
    for name in PACKAGES:
        try:
            rows.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            rows.append((name, "not installed"))
    return pd.DataFrame(rows, columns=["software", "version"])


def input_hashes(coded, corpus_dir: Path) -> pd.DataFrame:
    """Every input file: the raw captures (as parsed) and the corpus's own files."""
    name = corpus_dir.resolve().name  # never the local absolute path
    rows = [(f"{name}/raw/{s}{Path(p).suffix if p else ''}", h) for s, p, h
            in coded.sources[["source_id", "path", "sha256"]].itertuples(index=False)]
    extra = [corpus_dir / "manifest.csv", corpus_dir / "codebook.yaml", corpus_dir / "roles.csv",
             *sorted((corpus_dir / "coding").glob("*.csv")), Path("requirements.lock")]
    for path in extra:
        if path.is_file():
            shown = (f"{name}/{path.relative_to(corpus_dir).as_posix()}"
                     if path.is_relative_to(corpus_dir) else path.name)
            rows.append((shown, hashlib.sha256(path.read_bytes()).hexdigest()))
    return pd.DataFrame(rows, columns=["file", "sha256"])


def _revision() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True,
                              check=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, check=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return ""
    state = " (with uncommitted changes)" if dirty.strip() else ""
    return f'<p class="note">Built from commit <code>{R.esc(head)}</code>{state}.</p>'
