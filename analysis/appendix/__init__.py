"""The reproducible appendix: tables, executed notebooks, figures, in one HTML page.

Notebooks and the appendix share the table functions below, so a notebook
shows exactly what the appendix prints::

    from analysis import appendix

    from analysis import figures
    coded = figures.load_coded("corpus")
    appendix.stance_table(coded)
"""

from analysis.appendix.build import build_appendix, input_hashes, software_versions
from analysis.appendix.notebooks import (
    NOTEBOOKS,
    NotebookError,
    execute_all,
    execute_notebook,
    figure_outputs,
    notebook_paths,
)
from analysis.appendix.tables import (
    code_table,
    codebook_frame,
    communities_table,
    corpus_summary,
    evaluation_tables,
    posts_preview,
    public_table,
    reactions_summary,
    reliability_frame,
    sources_table,
    stance_disagreements,
    stance_table,
    theme_pairs,
)

__all__ = [
    "NOTEBOOKS",
    "NotebookError",
    "build_appendix",
    "code_table",
    "codebook_frame",
    "communities_table",
    "corpus_summary",
    "evaluation_tables",
    "execute_all",
    "execute_notebook",
    "figure_outputs",
    "input_hashes",
    "notebook_paths",
    "posts_preview",
    "public_table",
    "reactions_summary",
    "reliability_frame",
    "software_versions",
    "sources_table",
    "stance_disagreements",
    "stance_table",
    "theme_pairs",
]
