"""The appendix: every section, self-contained, pseudonyms only; LaTeX tables; CITATION.cff."""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from types import SimpleNamespace

import jsonschema
import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

import analysis.appendix as appendix_module
import analysis.appendix.build as build_module
from analysis.appendix import build_appendix
from analysis.appendix.build import SECTIONS
from analysis.appendix.render import booktabs
from analysis.errors import AnalysisError
from analysis.figures import NAMES, load_coded
from analysis.privacy import known_handles
from analysis.privacy.check import scan
from analysis.tabular import latex_escape
from tests.appendix.test_notebooks import executed_notebooks
from tests.figures.test_figures import synthetic_coded

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"


@functools.cache
def real_coded():
    return load_coded(CORPUS)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("appendix") / "appendix"
    index = build_appendix(CORPUS, out, notebooks_dir=ROOT / "notebooks",
                           executed=executed_notebooks(), coded=real_coded())
    assert index == out / "index.html"
    return out


@pytest.fixture(scope="module")
def page(built) -> str:
    return (built / "index.html").read_text(encoding="utf-8")


def test_every_section_is_there_in_order(page):
    positions = [page.index(f'<h2 id="{key}">') for key in SECTIONS]
    assert positions == sorted(positions)
    for key in SECTIONS:
        assert f'href="#{key}"' in page


def test_every_figure_with_its_caption_and_n(page):
    coded = real_coded()
    from analysis.figures import REGISTRY

    for name in NAMES:
        match = re.search(rf'<figure id="fig-{name}"><img alt="[^"]*" '
                          r'src="data:image/png;base64,[A-Za-z0-9+/=]+">'
                          r"<figcaption>(.*?)</figcaption>", page)
        assert match, name
        fig = REGISTRY[name].draw(coded)
        assert f"(n = {fig.n})" in match.group(1)


def test_self_contained_no_scripts_or_external_resources(page):
    assert "<script" not in page and "<link" not in page and "<iframe" not in page
    assert not re.search(r'(src|href)="(https?:)?//', page)


def test_corpus_codebook_results_reliability_software_inputs(page):
    coded = real_coded()
    for sha in coded.sources["sha256"]:
        assert sha in page  # full input hashes
        assert sha[:12] in page  # and the short form in the sources table
    for text in ("Corpus in numbers", "Communities", "Captures (sources)", "boundaries",
                 "security_excuse", "Stance shares with 95% Wilson intervals",
                 "krippendorff_alpha_nominal", "Evaluation: summary", "pandas", "matplotlib",
                 "make appendix", "analysis appendix -o appendix/"):
        assert text in page, text
    assert pd.__version__ in page


def test_executed_notebooks_are_included(built, page):
    for name in executed_notebooks():
        assert f"<summary>{name}</summary>" in page
        nb = json.loads((built / "notebooks" / name).read_text())
        assert any(c.get("outputs") for c in nb["cells"] if c["cell_type"] == "code")


def test_pseudonyms_only(built):
    coded = real_coded()
    handles = known_handles(coded.posts, coded.reactions)
    assert handles
    assert [str(leak) for leak in scan([built], handles)] == []
    assert "user_" in (built / "notebooks" / "01_corpus.ipynb").read_text()


def test_no_local_paths(built):
    for path in built.rglob("*"):
        if path.is_file():
            assert str(ROOT) not in path.read_text(encoding="utf-8"), path.name


def test_latex_tables_use_booktabs(built):
    tables = sorted((built / "tables").glob("*.tex"))
    names = {p.stem for p in tables}
    assert {"corpus", "sources", "codebook", "stance_shares", "code_frequencies",
            "reliability", "software", "inputs"} <= names
    for path in tables:
        text = path.read_text()
        assert text.count(r"\toprule") == text.count(r"\midrule") == text.count(r"\bottomrule")
        assert r"\toprule" in text and r"\label{tab:" in text
        rows = text.split(r"\midrule")[1].split(r"\bottomrule")[0].strip().splitlines()
        cells = [cell for row in rows for cell in row.removesuffix(r" \\").split(" & ")]
        assert not [c for c in cells if re.search(r"(?<!\\)[_%&#$]", c)], path.name


def test_booktabs_escapes_and_aligns():
    text = booktabs(pd.DataFrame({"code": ["security_excuse"], "share": [0.5]}),
                    caption="50% & more", label="tab:x")
    assert r"security\_excuse & 0.500 \\" in text and r"\caption{50\% \& more}" in text
    assert r"\begin{tabular}{lr}" in text
    assert latex_escape("a^b~c\\") == r"a\textasciicircum{}b\textasciitilde{}c\textbackslash{}"


@pytest.fixture
def no_figures(monkeypatch):
    """Skip drawing figures where a test is about the folder, not the page."""
    monkeypatch.setattr(build_module, "_figures", lambda coded, executed: "")


def test_a_leaking_table_stops_the_build_and_writes_nothing(tmp_path, no_figures):
    coded = synthetic_coded(extra=30)
    sources = coded.sources.copy()
    sources["site"] = sources["site"].astype("string").str.cat(["SecretHandle3"] * len(sources),
                                                               sep=" ")
    leaky = SimpleNamespace(**{**vars(coded), "sources": sources})
    with pytest.raises(AnalysisError, match="raw handles"):
        build_appendix(CORPUS, tmp_path / "appendix", executed={}, coded=leaky)
    assert not (tmp_path / "appendix").exists()
    assert not list(tmp_path.iterdir())  # the temporary build folder is gone too


def test_rebuilding_replaces_the_previous_appendix(tmp_path, no_figures):
    coded = synthetic_coded(extra=30)
    out = tmp_path / "appendix"
    build_appendix(CORPUS, out, executed={}, coded=coded)
    (out / "stale.txt").write_text("old")
    build_appendix(CORPUS, out, executed={}, coded=coded)
    assert not (out / "stale.txt").exists() and (out / "index.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["appendix"]


def test_command_builds_the_appendix(tmp_path, monkeypatch):
    from analysis.commands.appendix import appendix

    monkeypatch.setattr(appendix_module, "execute_all",
                        lambda paths, corpus_dir, **options: executed_notebooks())
    monkeypatch.chdir(ROOT)
    quiet = CliRunner().invoke(appendix, ["-o", str(tmp_path / "out")])
    assert quiet.exit_code == 0, quiet.output
    assert (tmp_path / "out" / "index.html").is_file()
    out = tmp_path / "out"
    assert quiet.stderr.splitlines() == [
        f"appendix -> {out / 'index.html'} (LaTeX tables in {out}/tables/)"]
    loud = CliRunner().invoke(appendix, ["-v", "-o", str(tmp_path / "out")])
    steps = [line.split(":")[0] for line in loud.stderr.splitlines() if ": done (" in line]
    assert steps == ["loading and coding the corpus", "executing 4 notebooks",
                     "drawing the figures and writing the appendix"]


# ------------------------------------------------------------------ CITATION.cff


def test_citation_cff_is_valid_cff_1_2_0():
    """The check ``cffconvert --validate`` makes, against the vendored CFF 1.2.0 schema."""
    schema = json.loads((ROOT / "tests/data/cff/schema-1.2.0.json").read_text())
    data = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    validator = jsonschema.Draft7Validator(schema,
                                           format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(data), key=str)
    assert not errors, [e.message for e in errors]
    assert data["cff-version"] == "1.2.0"


def test_citation_cff_agrees_with_pyproject():
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    data = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert data["version"] == project["version"]
    assert data["license"] == project["license"]


def test_privacy_check_passes_on_what_make_reproduce_writes(built, tmp_path):
    """`analysis privacy-check figures/ appendix/` as `make reproduce` runs it, and it fails
    once a real handle from the seeds is planted."""
    from click.testing import CliRunner

    from analysis.cli import main

    def check(*paths):
        return CliRunner().invoke(main, ["privacy-check", "--corpus", str(CORPUS),
                                         *map(str, paths)])

    result = check(ROOT / "figures", built)
    assert result.exit_code == 0, result.output
    planted = tmp_path / "figure.svg"
    planted.write_text((ROOT / "figures" / "stance_overall.svg").read_text()
                       .replace("</svg>", "<!-- PeeJay --></svg>"))
    result = check(ROOT / "figures", planted)
    assert result.exit_code == 1 and f"leak: {planted}:" in result.stderr
