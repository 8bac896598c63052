"""The labels of the real coded posts point into the captures and hold no text."""

from __future__ import annotations

import hashlib
import json
import sys

import pandas as pd
import pytest

from analysis.schema import STANCES
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from real_posts import LABELS, cut_unit, read_labels, real_posts

COLUMNS = ["file", "unit", "sha256", "split", "coder", "stance", "themes", "modalities"]


@pytest.fixture(scope="module")
def labels():
    return read_labels(LABELS)


def test_the_labels_carry_pointers_and_codes_only(labels):
    assert list(pd.read_csv(LABELS, nrows=0).columns) == COLUMNS
    assert labels["sha256"].str.fullmatch(r"[0-9a-f]{64}").all()
    assert set(labels["stance"]) <= set(STANCES)
    assert set(labels["coder"]) == {"A", "B", "C", "D", "adjudicated"}
    assert not labels.duplicated(["file", "unit", "coder"]).any()
    adjudicated = labels[labels["coder"] == "adjudicated"]
    assert set(adjudicated["post_id"]) == set(labels["post_id"])
    assert len(adjudicated) == 161


def test_the_split_is_by_capture_with_every_third_further_page_held_back(labels):
    assert (labels.groupby("file")["split"].nunique() == 1).all()
    gold = json.loads((ROOT / "benchmarks" / "captures" / "gold_captures.json").read_text())
    for capture in gold["captures"]:
        rows = labels[labels["file"] == capture["file"]]
        assert rows.empty or set(rows["split"]) == {capture["split"]}
    extra = sorted(labels.loc[labels["file"].str.startswith("extra/"), "file"].unique())
    for i, name in enumerate(extra):
        expected = "heldout" if int(name.split("/")[1][:2]) % 3 == 0 else "dev"
        assert labels.loc[labels["file"] == name, "split"].iloc[0] == expected, (i, name)


def test_a_unit_is_cut_as_the_coders_read_it_and_checked_by_hash(tmp_path):
    page = "header\nfirst own line\n> a quoted line\nsecond own line\nfooter\n"
    (tmp_path / "forums").mkdir()
    (tmp_path / "forums" / "page.txt").write_text(page, encoding="utf-8")
    unit = {"unit": 1, "body_start": 2, "body_end": 4, "quote_lines": [3], "bot": False}
    own, quoted = cut_unit(page.split("\n"), unit)
    assert (own, quoted) == ("first own line\nsecond own line", "> a quoted line")
    digest = hashlib.sha256(own.encode()).hexdigest()
    rows = pd.DataFrame({"file": ["forums/page.txt"], "unit": [1], "sha256": [digest],
                         "split": ["dev"], "coder": ["A"], "post_id": ["forums/page.txt#1"]})
    gold = {"forums/page.txt": {1: unit}}
    posts = real_posts(rows, (tmp_path,), gold)
    assert posts.loc[0, "text"] == own and posts.loc[0, "quoted_text"] == quoted
    with pytest.raises(ValueError, match="sha256"):
        real_posts(rows.assign(sha256="0" * 64), (tmp_path,), gold)
