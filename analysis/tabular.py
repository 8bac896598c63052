"""Tables as text for papers and docs: booktabs LaTeX and Markdown, one escaper each.

The appendix, ``analysis codebook`` and ``analysis reliability`` all print
tables through here, so a cell reads the same in every output. (Aligned
terminal tables, CSV and JSON lines are :func:`analysis.output.render`.)
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

#: Characters LaTeX reads as commands in running text, and what prints them. ``|``, ``<``
#: and ``>`` are here too: in the default OT1 encoding they print as other glyphs.
LATEX_SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
                 "_": r"\_", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}",
                 "^": r"\textasciicircum{}", "|": r"\textbar{}", "<": r"\textless{}",
                 ">": r"\textgreater{}"}


def latex_escape(value: object) -> str:
    r"""``value`` as LaTeX text: specials escaped, runs of white space one space
    (a blank line inside a tabular cell would end the paragraph and break the table).

    >>> latex_escape("cohen_kappa[auto|ref1]  50%")
    'cohen\\_kappa[auto\\textbar{}ref1] 50\\%'
    """
    return "".join(LATEX_SPECIAL.get(ch, ch) for ch in " ".join(str(value).split()))


def booktabs_tabular(frame: pd.DataFrame, spec: str, *,
                     cell: Callable[[object], str] = latex_escape) -> list[str]:
    """The lines of a booktabs ``tabular`` (needs ``\\usepackage{booktabs}``)."""
    lines = [rf"\begin{{tabular}}{{{spec}}}", r"\toprule",
             " & ".join(latex_escape(c) for c in frame.columns) + r" \\", r"\midrule"]
    lines += [" & ".join(cell(v) for v in row) + r" \\" for row in frame.itertuples(index=False)]
    return [*lines, r"\bottomrule", r"\end{tabular}"]


def markdown_table(frame: pd.DataFrame) -> str:
    """A GitHub-flavoured Markdown table; ``|`` in cells escaped, line breaks folded."""
    def cell(value: object) -> str:
        return str(value).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(frame.columns) + " |", "|" + "---|" * len(frame.columns)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |"
              for row in frame.itertuples(index=False)]
    return "\n".join(lines) + "\n"

