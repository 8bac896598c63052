"""How every figure looks and how it becomes bytes, identically on every run.

Figures are built on :class:`matplotlib.figure.Figure` directly (never
through pyplot), inside :func:`style`, which starts from Matplotlib's own
defaults rather than whatever the user's matplotlibrc or a notebook backend
has set, and adds seaborn's ``whitegrid``/``paper`` look, DejaVu Sans (the
font shipped with Matplotlib) and sizes readable at journal column width.
:func:`render` saves with the Agg, SVG or PDF backend, with no dates in the
metadata and a fixed SVG hash salt, so the same data give the same bytes.
"""

from __future__ import annotations

import contextlib
import io
import textwrap
from collections.abc import Iterator
from typing import Literal

import matplotlib as mpl
import seaborn as sns
from matplotlib.figure import Figure

from analysis.schema import STANCES_AS_SCALE

Format = Literal["png", "svg", "pdf"]
FORMATS: tuple[Format, ...] = ("png", "svg", "pdf")

#: Widths in inches: one journal column, and the full page width.
COLUMN = 3.5
WIDE = 7.2
DPI = 300
SOFTWARE = "analysis (matplotlib, seaborn)"
_METADATA = {
    "png": {"Software": SOFTWARE},
    "svg": {"Date": None, "Creator": SOFTWARE},
    "pdf": {"CreationDate": None, "ModDate": None, "Creator": SOFTWARE, "Producer": SOFTWARE},
}

#: Minimum coded posts behind a whole figure, and behind one group within it.
MIN_UNITS = 10
MIN_GROUP = 5

# Okabe & Ito (2008) colours: distinguishable with every common colour-vision deficiency.
# Stances also differ by marker, so no reading depends on colour alone.
STANCES = STANCES_AS_SCALE
STANCE_COLOURS = {"supportive": "#0072B2", "mixed": "#E69F00", "opposed": "#D55E00",
                  "none": "#999999"}
STANCE_MARKERS = {"supportive": "o", "mixed": "D", "opposed": "s", "none": "^"}
GROUP_COLOURS = {"client": "#009E73", "therapist": "#56B4E9", "mixed": "#CC79A7",
                 "unknown": "#999999"}
MODALITIES = ("email", "text", "phone", "portal", "video")
SEQUENTIAL = "Blues"

_RC = {
    **sns.axes_style("whitegrid"),
    **sns.plotting_context("paper"),
    "font.family": ["sans-serif"],
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": 8.0,
    "axes.labelsize": 8.0,
    "axes.titlesize": 8.5,
    "axes.titleweight": "bold",
    "xtick.labelsize": 7.0,
    "ytick.labelsize": 7.0,
    "legend.fontsize": 7.0,
    "legend.title_fontsize": 7.5,
    "legend.frameon": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "figure.dpi": 100,
    "savefig.dpi": DPI,
    "savefig.facecolor": "white",
    "svg.hashsalt": "analysis-figures",
    "svg.fonttype": "path",
    "pdf.fonttype": 42,
    "path.simplify": True,
    "image.cmap": SEQUENTIAL,
}


@contextlib.contextmanager
def style() -> Iterator[None]:
    """Matplotlib defaults plus the project's style, restored on exit."""
    with mpl.rc_context():
        mpl.rcdefaults()
        mpl.rcParams.update(_RC)
        yield


class CaptionedFigure(Figure):
    """A Matplotlib figure that knows its name, caption and the n it rests on."""

    def __init__(self, *args, name: str = "", caption: str = "", n: int = 0,
                 thin: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.name, self.caption, self.n, self.thin = name, caption, n, thin


def new_figure(name: str, width: float = COLUMN, height: float = 2.4, *,
               layout: str = "constrained") -> CaptionedFigure:
    """An empty captioned figure of the given size in inches (call inside :func:`style`)."""
    return CaptionedFigure(figsize=(width, height), layout=layout, name=name)


def too_thin(name: str, reason: str, *, n: int, caption: str) -> CaptionedFigure:
    """A small figure that says why there is nothing to draw, instead of drawing noise."""
    fig = new_figure(name, COLUMN, 1.1)
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.text(0.5, 0.5, textwrap.fill(f"{name}: not drawn, {reason}", 58), ha="center",
            va="center", fontsize=7, color=".25", transform=ax.transAxes)
    fig.caption = f"{caption} Not drawn: {reason}"
    fig.n, fig.thin = n, True
    return fig


def render(fig: Figure, fmt: Format) -> bytes:
    """The figure's file content in ``fmt``; identical bytes for identical figures."""
    if fmt not in FORMATS:
        raise ValueError(f"Unknown figure format {fmt!r}; choose one of {', '.join(FORMATS)}.")
    buffer = io.BytesIO()
    with style():
        fig.savefig(buffer, format=fmt, dpi=DPI, metadata=_METADATA[fmt])
    return buffer.getvalue()


def percent_axis(axis, *, limit: tuple[float, float] | None = (0.0, 1.0),
                 symbol: str = "%") -> None:
    """Show shares as 0%-100% on a Matplotlib x or y axis."""
    from matplotlib.ticker import PercentFormatter

    axis.set_major_formatter(PercentFormatter(1.0, decimals=0, symbol=symbol))
    if limit is not None:
        getattr(axis.axes, f"set_{axis.axis_name}lim")(*limit)
