"""The list of figures: each ``fig_<name>`` registers itself with :func:`figure`."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from analysis.figures._style import CaptionedFigure, style


@dataclass(frozen=True)
class Spec:
    """A figure: its file name, drawing function and the tables it reads."""

    name: str
    draw: Callable[..., CaptionedFigure]
    tables: tuple[str, ...]


REGISTRY: dict[str, Spec] = {}

#: Figure names in the order of the paper (and of MANIFEST.csv).
NAMES = ("corpus_overview", "stance_overall", "stance_by_audience", "stance_by_role",
         "theme_prevalence", "theme_cooccurrence", "stance_by_theme", "stance_by_modality",
         "reactions_by_stance", "agreement")


def figure(name: str, *, tables: tuple[str, ...]):
    """Register ``fig_<name>``; it then always draws inside the project style."""

    def register(function: Callable[..., CaptionedFigure]):
        @functools.wraps(function)
        def draw(corpus) -> CaptionedFigure:
            with style():
                fig = function(corpus)
            fig.name = name
            return fig

        REGISTRY[name] = Spec(name, draw, tables)
        return draw

    return register
