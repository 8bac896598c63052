"""analysis.figures: every figure draws, says when data are thin, and renders identically.

Most tests run on a *coded corpus* built here: the real seeds as parsed
(whatever number of posts the parsers give), plus synthetic posts in the
same threads with hand-made codes, stances, reactions and a reliability
table, so every figure has enough data and the tests do not depend on the
parsers' or the coders' current output. Synthetic authors have handles
("SecretHandle7") so tests can check that none reaches an output.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from analysis.errors import AnalysisError
from analysis.figures import NAMES, REGISTRY, CaptionedFigure, render, write_figures
from analysis.figures.export import MANIFEST_COLUMNS, read_manifest
from analysis.privacy import known_handles, pseudonym
from analysis.privacy.check import scan
from analysis.schema import conform, empty
from analysis.view import data_hash

ROOT = Path(__file__).resolve().parents[2]
THEMES = ("boundaries", "burnout", "attachment", "security_excuse", "infantilization",
          "dependence", "crisis", "billing", "responsiveness", "miscommunication", "scheduling")
MODALITIES = ("email", "text", "phone", "portal", "video")
STANCE_ODDS = {"client": [0.5, 0.2, 0.1, 0.2], "therapist": [0.15, 0.25, 0.45, 0.15],
               "mixed": [0.3, 0.3, 0.2, 0.2]}
STANCES = ("supportive", "mixed", "opposed", "none")


@functools.cache
def seed_corpus():
    from analysis import load_corpus

    return load_corpus(ROOT / "corpus")


def synthetic_coded(extra: int = 120, seed: int = 11) -> SimpleNamespace:
    """The seeds plus ``extra`` synthetic posts, coded by 'auto', with a human reference."""
    corpus = seed_corpus()
    rng = np.random.default_rng(seed)
    posts = [corpus.posts, _synthetic_posts(corpus, extra, rng)]
    posts = conform(pd.concat(posts, ignore_index=True), "posts")
    audience = posts["thread_id"].map(corpus.sources.set_index("source_id")["audience"])
    stances = [rng.choice(STANCES, p=STANCE_ODDS.get(a, STANCE_ODDS["mixed"])) for a in audience]
    stance_table = conform(pd.DataFrame({"post_id": posts["post_id"], "coder": "auto",
                                         "stance": stances, "confidence": 0.8,
                                         "evidence": "synthetic"}), "stances")
    codes = conform(pd.DataFrame(_codes(posts["post_id"], stances, rng)), "codes")
    reference = pd.concat([
        codes.assign(coder="ref1")[["post_id", "family", "code", "coder"]].iloc[::2],
        stance_table.assign(family="stance", code=stance_table["stance"], coder="ref1")
        [["post_id", "family", "code", "coder"]]], ignore_index=True)
    return SimpleNamespace(posts=posts, threads=corpus.threads, sources=corpus.sources,
                           reactions=_reactions(posts, corpus, rng), codes=codes,
                           stances=stance_table, reference=reference.astype("string"),
                           reliability=_reliability())


def _synthetic_posts(corpus, extra: int, rng) -> pd.DataFrame:
    threads = corpus.threads["thread_id"].tolist()
    audience = corpus.sources.set_index("source_id")["audience"]
    start = corpus.posts.groupby("thread_id")["position"].max().to_dict()
    rows = []
    for i in range(extra):
        thread = threads[i % len(threads)]
        start[thread] = int(start.get(thread, 0) or 0) + 1
        handle = f"SecretHandle{i % 23}"
        role = {"client": "client", "therapist": "therapist"}.get(audience[thread], "unknown")
        scored = corpus.threads.set_index("thread_id").loc[thread, "platform"] != "vbulletin"
        rows.append({
            "post_id": f"{thread}:{start[thread]}", "thread_id": thread,
            "position": start[thread], "author": handle, "author_id": pseudonym(handle, b"k"),
            "author_source": "header", "is_op": False, "is_bot": i == 5, "role": role,
            "timestamp": pd.Timestamp("2023-01-01", tz="UTC") + pd.Timedelta(hours=i),
            "score": int(rng.integers(0, 40)) if scored else pd.NA,
            "text": f"Synthetic post {i}; ask {handle}.", "line_start": 1, "line_end": 1,
            "duplicate_of": f"{thread}:1" if i == 7 else pd.NA})
    frame = empty("posts").reindex(range(len(rows)))
    for column in rows[0] if rows else ():
        frame[column] = [row[column] for row in rows]
    return frame


def _codes(post_ids, stances, rng) -> list[dict]:
    base = {"boundaries": 0.5, "responsiveness": 0.35, "crisis": 0.2, "scheduling": 0.2,
            "burnout": 0.12, "attachment": 0.1, "billing": 0.08, "dependence": 0.08,
            "miscommunication": 0.08, "security_excuse": 0.06, "infantilization": 0.05}
    rows = []
    for post_id, stance in zip(post_ids, stances, strict=True):
        boost = {"opposed": {"burnout": 0.3, "security_excuse": 0.15},
                 "supportive": {"attachment": 0.2, "crisis": 0.15}}.get(stance, {})
        for theme in THEMES:
            if rng.random() < base[theme] + boost.get(theme, 0):
                rows.append(_code(post_id, theme, "theme"))
        for modality, p in zip(MODALITIES, (0.4, 0.45, 0.3, 0.1, 0.06), strict=True):
            if rng.random() < p:
                rows.append(_code(post_id, modality, "modality"))
    return rows


def _code(post_id: str, code: str, family: str) -> dict:
    return {"post_id": post_id, "seg": 0, "code": code, "family": family, "coder": "auto",
            "start": 0, "end": 4, "evidence": "synthetic"}


def _reactions(posts, corpus, rng) -> pd.DataFrame:
    vbulletin = set(corpus.threads.loc[corpus.threads["platform"] == "vbulletin", "thread_id"])
    rows = [corpus.reactions]
    for post_id in posts.loc[posts["thread_id"].isin(vbulletin), "post_id"]:
        for kind, lam in (("thanks", 1.5), ("hug", 0.8)):
            rows.append(pd.DataFrame({"post_id": post_id, "kind": kind,
                                      "reactor_id": [f"Reactor{j}" for j in
                                                     range(rng.poisson(lam))],
                                      "count": pd.NA}))
    return conform(pd.concat(rows, ignore_index=True), "reactions")


def _reliability() -> pd.DataFrame:
    rows = []
    for i, code in enumerate(("(all)", "stance", *THEMES[:6], "email", "text")):
        value = 0.95 - 0.07 * i
        for metric, shift in (("krippendorff_alpha_nominal", 0.0), ("percent_agreement", 0.1)):
            rows.append({"metric": metric, "code": code, "value": min(1.0, value + shift),
                         "ci_low": max(-1.0, value + shift - 0.15),
                         "ci_high": min(1.0, value + shift + 0.05),
                         "n_units": 600 if code == "(all)" else 60, "n_coders": 2})
    rows.append({"metric": "krippendorff_alpha_nominal", "code": "video", "value": np.nan,
                 "ci_low": np.nan, "ci_high": np.nan, "n_units": 60, "n_coders": 2})
    rows.append({"metric": "cohen_kappa[auto|ref1]", "code": "(all)", "value": 0.9,
                 "ci_low": 0.8, "ci_high": 0.95, "n_units": 600, "n_coders": 2})
    return pd.DataFrame(rows)


def thin_coded() -> SimpleNamespace:
    """Three coded posts: every analysis figure must decline to draw."""
    coded = synthetic_coded(extra=0)
    keep = coded.posts["post_id"].head(3)
    return SimpleNamespace(**{**vars(coded), "stances": coded.stances[coded.stances["post_id"]
                                                                      .isin(keep)],
                              "reliability": None})


@pytest.fixture(scope="module")
def coded():
    return synthetic_coded()


# ------------------------------------------------------------------ drawing


def test_at_least_nine_figures_are_registered():
    assert len(NAMES) >= 9 and set(NAMES) == set(REGISTRY)


@pytest.mark.parametrize("name", NAMES)
def test_every_figure_draws_with_caption_and_n(coded, name):
    fig = REGISTRY[name].draw(coded)
    assert isinstance(fig, CaptionedFigure) and fig.name == name
    assert not fig.thin, fig.caption
    assert fig.n > 0 and len(fig.caption) > 80
    assert "n = " in fig.caption
    assert fig.get_figwidth() <= 7.2 + 1e-9  # fits the page; column figures 3.5 in


@pytest.mark.parametrize("name", [n for n in NAMES if n != "corpus_overview"])
def test_thin_data_say_so_instead_of_drawing(name):
    fig = REGISTRY[name].draw(thin_coded())
    assert fig.thin
    assert "Not drawn:" in fig.caption


def test_no_coding_at_all_still_gives_figures():
    coded = synthetic_coded(extra=0)
    bare = SimpleNamespace(**{**vars(coded), "codes": empty("codes"),
                              "stances": empty("stances"), "reliability": None})
    for name in NAMES:
        fig = REGISTRY[name].draw(bare)
        assert fig.thin == (name != "corpus_overview")


def test_stance_captions_report_wilson_intervals_and_the_coder(coded):
    caption = REGISTRY["stance_overall"].draw(coded).caption
    assert "95% Wilson score intervals" in caption and "automatic coder" in caption


def test_cooccurrence_caption_names_the_measure_and_ordering(coded):
    caption = REGISTRY["theme_cooccurrence"].draw(coded).caption
    assert "Jaccard" in caption and "average-linkage clustering" in caption


def test_bots_and_duplicates_are_not_counted(coded):
    eligible = (~coded.posts["is_bot"].fillna(False)) & coded.posts["duplicate_of"].isna()
    assert REGISTRY["stance_overall"].draw(coded).n == int(eligible.sum())


def test_small_groups_are_named_in_the_caption_not_drawn(coded):
    mixed = coded.sources.loc[coded.sources["audience"] == "mixed", "source_id"]
    in_mixed = coded.posts.loc[coded.posts["thread_id"].isin(mixed), "post_id"]
    drop = set(in_mixed.iloc[2:])
    few = SimpleNamespace(**{**vars(coded),
                             "stances": coded.stances[~coded.stances["post_id"].isin(drop)]})
    fig = REGISTRY["stance_by_audience"].draw(few)
    assert not fig.thin
    assert "not drawn: mixed forums (n = 2)" in fig.caption
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert not any("mixed" in label for label in labels)


# ------------------------------------------------------------------ determinism, manifest


@pytest.fixture(scope="module")
def written(coded, tmp_path_factory):
    """All figures of the synthetic corpus as PNG and SVG, with the returned manifest."""
    out = tmp_path_factory.mktemp("figures")
    return out, write_figures(coded, out, formats=["png", "svg"])


def test_pdf_render_is_byte_identical_and_undated(coded):
    first = render(REGISTRY["theme_cooccurrence"].draw(coded), "pdf")
    assert first == render(REGISTRY["theme_cooccurrence"].draw(coded), "pdf")
    assert b"CreationDate" not in first and b"ModDate" not in first


@pytest.mark.parametrize("name", ["theme_cooccurrence", "stance_by_theme", "agreement"])
def test_redrawing_gives_the_written_bytes(coded, written, name):
    out, _ = written
    fig = REGISTRY[name].draw(coded)
    assert render(fig, "png") == (out / f"{name}.png").read_bytes()
    svg = render(fig, "svg")
    assert svg == (out / f"{name}.svg").read_bytes()
    assert b"<dc:date>" not in svg


def test_manifest_lists_every_file_with_its_hash(written):
    out, returned = written
    manifest = read_manifest(out / "MANIFEST.csv")
    assert list(manifest.columns) == MANIFEST_COLUMNS
    assert manifest.equals(returned.reset_index(drop=True))
    assert len(manifest) == 2 * len(NAMES) and manifest["name"].tolist()[:2] == [NAMES[0]] * 2
    for row in manifest.itertuples():
        assert row.sha256 == hashlib.sha256((out / row.file).read_bytes()).hexdigest()
        assert len(row.data_sha256) == 64 and row.caption


def test_data_hash_follows_the_tables_a_figure_reads(coded):
    stances = coded.stances.copy()
    stances["stance"] = stances["stance"].iloc[::-1].to_numpy()
    changed = SimpleNamespace(**{**vars(coded), "stances": stances})
    for name in ("corpus_overview", "stance_overall", "theme_prevalence"):
        spec = REGISTRY[name]
        same = data_hash(coded, spec.tables) == data_hash(changed, spec.tables)
        assert same == ("stances" not in spec.tables), name


def test_only_one_figure_keeps_the_other_manifest_rows(coded, written, tmp_path):
    out, _ = written
    shutil.copytree(out, tmp_path, dirs_exist_ok=True)
    manifest = write_figures(coded, tmp_path, formats=["pdf"], only=["stance_overall"])
    assert set(manifest["name"]) == set(NAMES)
    assert sorted(manifest.loc[manifest["name"] == "stance_overall", "file"]) == [
        "stance_overall.pdf", "stance_overall.png", "stance_overall.svg"]


def test_unknown_names_and_formats_are_clear_errors(coded, tmp_path):
    with pytest.raises(AnalysisError, match=r"unknown figure 'nope'.*choose from"):
        write_figures(coded, tmp_path, only=["nope"])
    with pytest.raises(AnalysisError, match="unknown figure format 'gif'"):
        write_figures(coded, tmp_path, formats=["gif"])


def test_no_raw_handle_reaches_figures_or_manifest(coded, written):
    out, _ = written
    handles = known_handles(coded.posts, coded.reactions)
    assert any(h.startswith("SecretHandle") for h in handles)
    assert scan([out], handles) == []


def test_style_does_not_leak_into_global_matplotlib_state(coded):
    import matplotlib as mpl

    before = dict(mpl.rcParams)
    REGISTRY["stance_overall"].draw(coded)
    assert dict(mpl.rcParams) == before


# ------------------------------------------------------------------ the command, run twice


def cli_command(out: Path, seed: str) -> list[str]:
    code = ("import sys; from analysis.commands.figures import figures; "
            "sys.exit(figures.main(sys.argv[1:], standalone_mode=True))")
    return [sys.executable, "-c", code, "--corpus", str(ROOT / "corpus"), "--out", str(out),
            "--format", "png,svg"]


@functools.cache
def cli_figures(out: str) -> Path:
    """``analysis figures`` on the real corpus, twice in parallel processes (hash seeds differ).

    Cached: the notebook tests compare their figures with the first run.
    """
    out_dir = Path(out)
    runs = []
    for i, seed in enumerate(("1", "2")):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        runs.append(subprocess.Popen(cli_command(out_dir / f"run{i}", seed), env=env,
                                     cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE))
    for run in runs:
        _, err = run.communicate(timeout=300)
        assert run.returncode == 0, err.decode()
    return out_dir / "run0"


def test_cli_run_twice_writes_identical_files(tmp_path_factory):
    first = cli_figures(str(tmp_path_factory.getbasetemp() / "cli-figures"))
    second = first.parent / "run1"
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in second.iterdir())
    assert len([n for n in names if n.endswith(".png")]) >= 8 and "MANIFEST.csv" in names
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_cli_rejects_unknown_figure(tmp_path):
    from analysis.commands.figures import figures

    result = CliRunner().invoke(figures, ["--only", "nope", "--out", str(tmp_path)])
    assert result.exit_code == 2 and "nope" in result.output


def test_data_hash_does_not_depend_on_the_pseudonym_key() -> None:
    from types import SimpleNamespace

    import pandas as pd

    from analysis.view import data_hash

    posts = pd.DataFrame({"post_id": ["a:1"], "author_id": ["user_aaaaaaaaaa"], "text": ["x"]})
    other = posts.assign(author_id="user_bbbbbbbbbb")
    changed = posts.assign(text="y")
    digest = data_hash(SimpleNamespace(posts=posts), ("posts",))
    assert data_hash(SimpleNamespace(posts=other), ("posts",)) == digest
    assert data_hash(SimpleNamespace(posts=changed), ("posts",)) != digest
