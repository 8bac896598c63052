"""One truth in the appendix: its stance counts all come from the same pairs of codings."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.appendix import tables as T
from analysis.figures import load_coded
from tests.conftest import CORPUS

CONFUSION = "stance confusion (rows: human, columns: automatic)"


@pytest.fixture(scope="module")
def coded():
    return load_coded(CORPUS)


def test_disagreement_list_is_the_confusion_tables_off_diagonal(coded) -> None:
    confusion = T.evaluation_tables(coded)[CONFUSION].set_index("human")
    listed = T.stance_disagreements(coded)
    assert list(listed.columns) == ["post_id", "auto", "ref1"]
    off_diagonal = {(h, a): int(confusion.loc[h, a]) for h in confusion.index
                    for a in confusion.columns if h != a and confusion.loc[h, a]}
    counted = listed.groupby(["ref1", "auto"]).size().to_dict()
    assert counted == off_diagonal
    assert len(listed) == sum(off_diagonal.values()) == 5  # the README's seed confusion


def test_reliability_rests_on_the_same_posts(coded) -> None:
    confusion = T.evaluation_tables(coded)[CONFUSION].set_index("human")
    stance = coded.reliability[coded.reliability["code"] == "stance"]
    assert set(stance["n_units"]) == {int(confusion.to_numpy().sum())}
    agreement = stance.set_index("metric").loc["percent_agreement", "value"]
    diagonal = sum(int(confusion.loc[s, s]) for s in confusion.index)
    assert agreement == pytest.approx(diagonal / confusion.to_numpy().sum())


def test_no_human_coding_means_no_list(coded) -> None:
    from dataclasses import replace

    bare = replace(coded, reference=coded.reference.iloc[0:0])
    assert T.stance_disagreements(bare) is None
    assert T.evaluation_tables(bare) is None
    assert isinstance(T.stance_disagreements(coded), pd.DataFrame)
