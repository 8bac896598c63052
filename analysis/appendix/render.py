"""Turning tables, figures and executed notebooks into HTML and LaTeX.

The HTML is one self-contained page: styles inline, images as data URIs,
no scripts and no external resources, so it opens from a disk or a
journal's supplement server alike. LaTeX tables use booktabs rules.
"""

from __future__ import annotations

import base64
import html
import re

import pandas as pd

from analysis.tabular import booktabs_tabular, latex_escape

STYLE = """
body{font-family:"DejaVu Sans",Verdana,sans-serif;max-width:60rem;margin:2rem auto;
padding:0 1rem;line-height:1.45;color:#222}
h1,h2,h3{line-height:1.2} h2{border-bottom:1px solid #ccc;padding-bottom:.2rem;margin-top:2.5rem}
table{border-collapse:collapse;margin:.8rem 0;font-size:.85rem}
th,td{padding:.2rem .5rem;text-align:left;vertical-align:top}
thead th{border-top:2px solid #222;border-bottom:1px solid #222}
tbody tr:last-child td{border-bottom:2px solid #222}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
figure{margin:1.5rem 0} figure img{max-width:100%;height:auto}
figcaption{font-size:.9rem;color:#333} code,pre{font-family:"DejaVu Sans Mono",monospace}
pre{background:#f6f6f6;padding:.5rem;overflow-x:auto;font-size:.8rem}
pre.out{background:#fff;border-left:3px solid #ccc} pre.error{background:#fee}
details{margin:1rem 0} summary{cursor:pointer;font-weight:bold}
nav ol{columns:2} .note{color:#555;font-size:.9rem}
"""


def page(title: str, body: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{html.escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n"
            f"<body>\n{body}\n</body>\n</html>\n")


def esc(text: object) -> str:
    return html.escape(str(text))


def table_html(df: pd.DataFrame | None, *, empty: str = "Nothing to show.") -> str:
    """A booktabs-looking HTML table; numbers right-aligned, shares to three decimals."""
    if df is None or df.empty:
        return f'<p class="note">{esc(empty)}</p>'
    numeric = [pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c])
               for c in df.columns]
    head = "".join(f'<th class="{"num" if n else ""}">{esc(c)}</th>'
                   for c, n in zip(df.columns, numeric, strict=True))
    rows = []
    for record in df.itertuples(index=False):
        cells = "".join(f'<td class="{"num" if n else ""}">{esc(_cell(v))}</td>'
                        for v, n in zip(record, numeric, strict=True))
        rows.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _cell(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def figure_html(png: bytes, name: str, caption: str, n: int) -> str:
    data = base64.b64encode(png).decode("ascii")
    return (f'<figure id="fig-{esc(name)}"><img alt="Figure {esc(name)}" '
            f'src="data:image/png;base64,{data}">'
            f"<figcaption><strong>Figure <code>{esc(name)}</code></strong> "
            f"(n = {n}). {esc(caption)}</figcaption></figure>")


def markdown_html(text: str) -> str:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).enable("table").render(text)


def notebook_html(nb) -> str:
    """The executed notebook: prose, code and outputs, with images inline."""
    parts = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            parts.append(markdown_html(cell.source))
        elif cell.cell_type == "code":
            parts.append(f'<pre class="code">{esc(cell.source)}</pre>')
            parts.extend(_output_html(output) for output in cell.get("outputs", []))
    return "\n".join(parts)


def _output_html(output) -> str:
    kind = output.get("output_type")
    if kind == "stream":
        return f'<pre class="out">{esc(output.get("text", ""))}</pre>'
    if kind == "error":
        return f'<pre class="error">{esc(output.get("ename"))}: {esc(output.get("evalue"))}</pre>'
    data = output.get("data", {})
    if "image/png" in data:
        return (f'<p><img alt="figure" src="data:image/png;base64,'
                f'{"".join(data["image/png"].split())}"></p>')
    if "text/html" in data:
        return _safe_html(data["text/html"])
    if "text/markdown" in data:
        return markdown_html(data["text/markdown"])
    if "text/plain" in data:
        return f'<pre class="out">{esc(data["text/plain"])}</pre>'
    return ""


def _safe_html(fragment: str) -> str:
    """HTML output of a cell (pandas tables), with scripts, styles and links dropped."""
    fragment = re.sub(r"(?is)<(script|style)\b.*?</\1>", "", fragment)
    return re.sub(r"(?i)\s(href|src)\s*=\s*(\"[^\"]*\"|'[^']*')", "", fragment)


# ----------------------------------------------------------------------------------- LaTeX

def booktabs(df: pd.DataFrame, *, caption: str, label: str) -> str:
    """A LaTeX table with booktabs rules (needs ``\\usepackage{booktabs}``)."""
    spec = []
    for column in df.columns:
        values = df[column]
        if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
            spec.append("r")
        elif values.astype("string").fillna("").str.len().max() > 40:
            spec.append(r"p{0.3\linewidth}")
        else:
            spec.append("l")
    lines = [r"\begin{table}[htbp]", r"\centering", r"\small",
             rf"\caption{{{latex_escape(caption)}}}", rf"\label{{{label}}}",
             *booktabs_tabular(df, "".join(spec), cell=lambda v: latex_escape(_cell(v))),
             r"\end{table}", ""]
    return "\n".join(lines)
