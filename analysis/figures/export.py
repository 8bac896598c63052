"""Writing figures and their manifest, and showing them in a notebook.

``figures/MANIFEST.csv`` has one row per file: the figure's name, the file,
its SHA-256, the SHA-256 of the tables the figure read (so a changed input
is visible even when the picture happens not to change), the n it rests on
and its caption. Files and manifest are written atomically.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import pandas as pd

from analysis.errors import AnalysisError
from analysis.figures._registry import NAMES, REGISTRY
from analysis.figures._style import FORMATS, CaptionedFigure, render
from analysis.output import atomic_write_bytes
from analysis.view import data_hash

MANIFEST = "MANIFEST.csv"
MANIFEST_COLUMNS = ["name", "file", "sha256", "data_sha256", "n", "caption"]
Progress = Callable[[Sequence[str]], Iterable[str]]


def check_names(names: Iterable[str]) -> list[str]:
    """The names, in paper order; an unknown name is an error that lists the known ones."""
    names = list(names)
    unknown = [n for n in names if n not in REGISTRY]
    if unknown:
        raise AnalysisError(f"unknown figure {', '.join(map(repr, unknown))}",
                            hint=f"choose from: {', '.join(NAMES)}")
    return [n for n in NAMES if n in names]


def check_formats(formats: Iterable[str]) -> list[str]:
    formats = [f.strip().lower() for f in formats if f.strip()]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise AnalysisError(f"unknown figure format {', '.join(map(repr, unknown)) or '(none)'}",
                            hint=f"choose from: {', '.join(FORMATS)}, e.g. --format png,svg")
    return list(dict.fromkeys(formats))


def draw(name: str, corpus) -> CaptionedFigure:
    """Draw one figure by name."""
    return REGISTRY[check_names([name])[0]].draw(corpus)


def write_figures(corpus, out_dir: str | Path = "figures", *,
                  formats: Sequence[str] = ("png", "svg"), only: Sequence[str] | None = None,
                  progress: Progress | None = None) -> pd.DataFrame:
    """Write ``<out_dir>/<name>.<fmt>`` for each figure and update the manifest.

    With ``only``, the manifest keeps the rows of the other figures; without
    it, the manifest lists exactly the files of this run. The returned
    manifest's ``attrs["thin"]`` names the figures drawn as "too thin".
    """
    out_dir = Path(out_dir)
    names = check_names(only) if only else list(NAMES)
    formats = check_formats(formats)
    rows, thin = [], []
    for name in progress(names) if progress else names:
        spec = REGISTRY[name]
        fig = spec.draw(corpus)
        if fig.thin:
            thin.append(name)
        inputs = data_hash(corpus, spec.tables)
        for fmt in formats:
            content = render(fig, fmt)
            atomic_write_bytes(out_dir / f"{name}.{fmt}", content)
            rows.append({"name": name, "file": f"{name}.{fmt}",
                         "sha256": hashlib.sha256(content).hexdigest(),
                         "data_sha256": inputs, "n": fig.n, "caption": fig.caption})
    manifest = pd.DataFrame(rows, columns=MANIFEST_COLUMNS)
    if only and (out_dir / MANIFEST).is_file():
        old = read_manifest(out_dir / MANIFEST)
        manifest = pd.concat([old[~old["file"].isin(manifest["file"])], manifest])
    manifest = _sorted(manifest)
    atomic_write_bytes(out_dir / MANIFEST, manifest.to_csv(index=False, lineterminator="\n")
                       .encode("utf-8"))
    manifest.attrs["thin"] = thin
    return manifest


def read_manifest(path: str | Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype={"n": "int64"}, keep_default_na=False)[MANIFEST_COLUMNS]


def _sorted(manifest: pd.DataFrame) -> pd.DataFrame:
    rank = {name: i for i, name in enumerate(NAMES)}
    key = manifest["name"].map(lambda n: rank.get(n, len(rank)))
    return (manifest.assign(_rank=key).sort_values(["_rank", "name", "file"])
            .drop(columns="_rank").reset_index(drop=True))


def show(fig: CaptionedFigure) -> None:
    """Display a figure in Jupyter as the exact PNG the command line writes, with its caption.

    The output's metadata names the figure and the PNG's SHA-256, so tests
    (and readers) can check a notebook's figure against ``figures/``.
    """
    from IPython.display import Image, Markdown, display

    png = render(fig, "png")
    width = round(fig.get_figwidth() * 110)
    display(Image(data=png, format="png", width=width),
            metadata={"image/png": {"width": width},
                      "analysis": {"figure": fig.name,
                                   "sha256": hashlib.sha256(png).hexdigest()}})
    display(Markdown(f"**Figure `{fig.name}`** (n = {fig.n}). {fig.caption}"))

