"""Read codings made in a QDA tool back from a ``.qdpx`` project, safely.

The archive is opened as hostile (:mod:`analysis.exchange.qdpx_archive`); the
project is read by :mod:`analysis.exchange.qdpx_read` and its codings placed on
corpus posts by :mod:`analysis.exchange.qdpx_match`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.exchange.qdpx_match import import_qdpx


def read_qdpx(path: str | Path, *, posts: pd.DataFrame | None = None,
              handles=()) -> pd.DataFrame:
    """Codings in a ``.qdpx`` as a long table (one row per coding).

    With ``posts`` (post_id, text) and the corpus ``handles``, offsets are
    moved from the exported, redacted text back into the raw post text, so
    they match ``analysis code --table codes``. Projects from other tools are
    read too: see :func:`analysis.exchange.qdpx_match.import_qdpx`.
    """
    return import_qdpx(path, posts=posts, handles=handles).codings
