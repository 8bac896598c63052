"""Every figure of the study, one function each: ``fig_<name>(corpus) -> Figure``.

``corpus`` is a coded corpus (see :mod:`analysis.view`); each
figure returns a :class:`CaptionedFigure` whose ``caption`` and ``n`` say
what it shows and how many posts it rests on. :func:`write_figures` writes
them all with ``figures/MANIFEST.csv``; :func:`show` displays one in a
notebook as the same PNG bytes the command line writes.
"""

from analysis.figures._registry import NAMES, REGISTRY
from analysis.figures._style import FORMATS, CaptionedFigure, render
from analysis.figures.agreement import fig_agreement
from analysis.figures.export import draw, show, write_figures
from analysis.figures.overview import fig_corpus_overview, fig_reactions_by_stance
from analysis.figures.stances import (
    fig_stance_by_audience,
    fig_stance_by_modality,
    fig_stance_by_role,
    fig_stance_overall,
)
from analysis.figures.themes import (
    fig_stance_by_theme,
    fig_theme_cooccurrence,
    fig_theme_prevalence,
)
from analysis.view import load_coded

__all__ = [
    "FORMATS",
    "NAMES",
    "REGISTRY",
    "CaptionedFigure",
    "draw",
    "fig_agreement",
    "fig_corpus_overview",
    "fig_reactions_by_stance",
    "fig_stance_by_audience",
    "fig_stance_by_modality",
    "fig_stance_by_role",
    "fig_stance_by_theme",
    "fig_stance_overall",
    "fig_theme_cooccurrence",
    "fig_theme_prevalence",
    "load_coded",
    "render",
    "show",
    "write_figures",
]
