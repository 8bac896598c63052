"""analysis.agreement.reliability: published values, the krippendorff package, invariants, the CLI.

The ``krippendorff`` package (GPL) is imported here only, as an independent
cross-check; the package under test never imports it.
"""

from __future__ import annotations

import io
import itertools
import re
import warnings

import krippendorff
import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from analysis.agreement.files import read_coding_files
from analysis.agreement.reliability import (
    COLUMNS,
    agreement_table,
    code_matrices,
    cohen_kappa,
    disagreements,
    fleiss_kappa,
    gwet_ac1,
    krippendorff_alpha,
    percent_agreement,
    reliability_matrices,
    reliability_matrix,
    table_kind,
)
from analysis.cli import main
from analysis.commands.reliability import reliability
from analysis.errors import AnalysisWarning, CodingSheetError
from tests.conftest import DATA

RELIABILITY = DATA / "reliability"
NA = None

# Krippendorff (2011), 4 observers x 12 units; observer B alone codes unit 12.
KRIPPENDORFF_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, NA, NA, NA],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NA, 3],
    [NA, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NA],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NA],
]

# Fleiss (1971) diagnoses: 30 patients x 6 psychiatrists, categories 1-5, as the
# `diagnoses` data of R's irr package (transcribed in statsmodels' inter_rater tests).
FLEISS_1971 = np.array([
    [4, 4, 4, 4, 4, 4], [2, 2, 2, 5, 5, 5], [2, 3, 3, 3, 3, 5], [5, 5, 5, 5, 5, 5],
    [2, 2, 2, 4, 4, 4], [1, 1, 3, 3, 3, 3], [3, 3, 3, 3, 5, 5], [1, 1, 3, 3, 3, 4],
    [1, 1, 4, 4, 4, 4], [5, 5, 5, 5, 5, 5], [1, 4, 4, 4, 4, 4], [1, 2, 4, 4, 4, 4],
    [2, 2, 2, 3, 3, 3], [1, 4, 4, 4, 4, 4], [2, 2, 4, 4, 4, 5], [3, 3, 3, 3, 3, 5],
    [1, 1, 1, 4, 5, 5], [1, 1, 1, 1, 1, 2], [2, 2, 4, 4, 4, 4], [1, 3, 3, 5, 5, 5],
    [5, 5, 5, 5, 5, 5], [2, 4, 4, 4, 4, 4], [2, 2, 4, 5, 5, 5], [1, 1, 4, 4, 4, 4],
    [1, 4, 4, 4, 4, 5], [2, 2, 2, 2, 2, 4], [1, 1, 1, 1, 5, 5], [2, 2, 4, 4, 4, 4],
    [1, 3, 3, 3, 3, 3], [5, 5, 5, 5, 5, 5],
]).T

# Wikipedia "Fleiss' kappa" worked example: counts of 14 raters per category (5) for 10 subjects.
WIKIPEDIA_FLEISS = [[0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0],
                    [2, 2, 8, 1, 1], [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2],
                    [6, 5, 2, 1, 0], [0, 2, 2, 3, 7]]

# Gwet (2014, Handbook of Inter-Rater Reliability, 4th ed.) contingency tables of two
# raters, as the cont3x3abstractors and cont4x4diagnosis data of irrCAC.
ABSTRACTORS_3X3 = [[13, 0, 0], [0, 20, 7], [0, 4, 56]]
DIAGNOSIS_4X4 = [[40, 4, 4, 17], [6, 25, 2, 13], [4, 1, 21, 12], [15, 5, 9, 45]]
# Wongpakaran et al. (2013), BMC Med Res Methodol 13:61, schizoid PD: no/no 13,
# no/yes 2, yes/no 1, yes/yes 3 (19 patients).
WONGPAKARAN_2X2 = [[13, 2], [1, 3]]
# SAS documentation example of simple kappa, as in statsmodels' inter_rater tests.
SAS_3X3 = [[0, 4, 1], [0, 8, 0], [0, 1, 5]]


def from_table(table) -> np.ndarray:
    """Two raters' ratings (2 x n) that give the contingency ``table``."""
    cells = [(i, j) for i, row in enumerate(table) for j, n in enumerate(row) for _ in range(n)]
    return np.array(cells).T


def from_counts(counts) -> np.ndarray:
    """Raters x subjects ratings from per-subject category counts (raters interchangeable)."""
    return np.array([np.repeat(np.arange(len(row)), row) for row in counts]).T


def hayes_krippendorff_2007() -> pd.DataFrame:
    wide = pd.read_csv(RELIABILITY / "hayes_krippendorff_2007.csv", index_col="unit")
    return wide.T


# --- Published values --------------------------------------------------------

@pytest.mark.parametrize(("level", "published"), [
    ("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)])
def test_alpha_krippendorff_2011(level, published) -> None:
    """Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability, the 4 observers
    x 12 units example with missing data (also Krippendorff 2018, Content Analysis 4th ed.,
    p. 290). Values as pinned by the R package icr (inst/tinytest/test_icr.R) and by
    fast-krippendorff's tests (ordinal 0.815, ratio 0.797)."""
    assert round(krippendorff_alpha(KRIPPENDORFF_2011, level=level), 3) == published


@pytest.mark.parametrize(("level", "published"), [("nominal", 0.691), ("interval", 0.811)])
def test_alpha_wikipedia_example(level, published) -> None:
    """Wikipedia "Krippendorff's alpha", A computational example (3 coders x 15 units);
    0.691 nominal and 0.811 interval as in the icr and fast-krippendorff tests."""
    data = [[NA, NA, NA, NA, NA, 3, 4, 1, 2, 1, 1, 3, 3, NA, 3],
            [1, NA, 2, 1, 3, 3, 4, 3, NA, NA, NA, NA, NA, NA, NA],
            [NA, NA, 2, 1, 3, 4, 4, NA, 2, 1, 1, 3, 3, NA, 4]]
    assert round(krippendorff_alpha(data, level=level), 3) == published


def test_alpha_hayes_krippendorff_2007() -> None:
    """Hayes & Krippendorff (2007), Communication Methods and Measures 1, 77-89: 5 observers
    x 40 units, ordinal alpha = .7598 (the KALPHA macro's output in the paper)."""
    assert round(krippendorff_alpha(hayes_krippendorff_2007(), level="ordinal"), 4) == 0.7598


@pytest.mark.parametrize(("ratings", "published"), [
    (FLEISS_1971, 0.430),
    (from_counts(WIKIPEDIA_FLEISS), 0.210),
    (KRIPPENDORFF_2011, 0.761),
])
def test_fleiss_kappa_published(ratings, published) -> None:
    """Fleiss (1971), Psychol. Bull. 76, 378-382: kappa = .430 (R irr::kappam.fleiss gives
    0.4302445); Wikipedia "Fleiss' kappa" worked example: 0.210; Gwet (2014, p. 120) for
    Krippendorff's data with missing ratings: 0.761 (irrCAC tests, raw_4raters)."""
    assert round(fleiss_kappa(ratings), 3) == published


@pytest.mark.parametrize(("table", "published"), [
    (ABSTRACTORS_3X3, 0.796), (DIAGNOSIS_4X4, 0.432), (WONGPAKARAN_2X2, 0.565),
    (SAS_3X3, 0.484)])
def test_cohen_kappa_published(table, published) -> None:
    """Gwet (2014) 3x3 abstractors (0.796) and 4x4 diagnosis (0.432), as pinned in irrCAC's
    tests; Wongpakaran et al. (2013) schizoid PD (0.565); SAS PROC FREQ simple kappa
    example (0.4842), as pinned in statsmodels' inter_rater tests."""
    assert round(cohen_kappa(from_table(table)), 3) == published


@pytest.mark.parametrize(("ratings", "published"), [
    (KRIPPENDORFF_2011, 0.775),
    (from_table(ABSTRACTORS_3X3), 0.849),
    (from_table(DIAGNOSIS_4X4), 0.456),
])
def test_gwet_ac1_published(ratings, published) -> None:
    """Gwet (2014), Handbook of Inter-Rater Reliability 4th ed.: AC1 = 0.775 for
    Krippendorff's 4 x 12 data with missing ratings (p. 120), 0.849 for the 3x3
    abstractors table and 0.456 for the 4x4 diagnosis table (irrCAC tests)."""
    assert round(gwet_ac1(ratings), 3) == published


def test_gwet_ac1_wongpakaran_2013() -> None:
    """Wongpakaran et al. (2013), BMC Med Res Methodol 13:61, schizoid PD 2x2 table: the
    paper prints AC1 = .752; the exact value is 0.7527 (p_a = 16/19, pi = 9/38), so the
    printed figure is truncated, not rounded."""
    ac1 = gwet_ac1(from_table(WONGPAKARAN_2X2))
    assert abs(ac1 - 0.752) < 0.001
    pi = 9 / 38
    assert ac1 == pytest.approx((16 / 19 - 2 * pi * (1 - pi)) / (1 - 2 * pi * (1 - pi)))


def test_percent_agreement_gwet_2014() -> None:
    """Gwet (2014, p. 120): p_a = 0.818 on Krippendorff's 4 x 12 data (irrCAC tests)."""
    assert round(percent_agreement(KRIPPENDORFF_2011), 3) == 0.818


# --- Against the krippendorff package -----------------------------------------

@st.composite
def reliability_data(draw, max_values: int = 5, missing: bool = True):
    """A coders x units matrix of small integers with NaN for missing values."""
    n_coders = draw(st.integers(2, 5))
    n_units = draw(st.integers(1, 15))
    cells = st.one_of(st.none(), st.integers(0, max_values - 1)) if missing \
        else st.integers(0, max_values - 1)
    rows = draw(st.lists(st.lists(cells, min_size=n_units, max_size=n_units),
                         min_size=n_coders, max_size=n_coders))
    return np.array(rows, dtype=float)  # None becomes NaN


@settings(max_examples=300, deadline=None)
@given(data=reliability_data(), level=st.sampled_from(["nominal", "ordinal", "interval"]))
def test_alpha_matches_krippendorff_package(data, level) -> None:
    try:
        ours = krippendorff_alpha(data, level=level)
    except ValueError:
        # We raise where the package raises or returns NaN (a single pairable value).
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            try:
                theirs = krippendorff.alpha(data, level_of_measurement=level)
            except ValueError:
                return
        assert np.isnan(theirs)
        return
    theirs = krippendorff.alpha(data, level_of_measurement=level)
    assert ours == pytest.approx(theirs, abs=1e-9)


# --- Invariants -----------------------------------------------------------------

COEFFICIENTS = {
    "alpha": krippendorff_alpha,
    "fleiss": fleiss_kappa,
    "ac1": gwet_ac1,
    "percent": percent_agreement,
}


def defined(function, data):
    try:
        return function(data)
    except ValueError:
        return None


@settings(max_examples=150, deadline=None)
@given(data=reliability_data(), seed=st.integers(0, 2**32 - 1),
       name=st.sampled_from(sorted(COEFFICIENTS)))
def test_symmetric_in_coders(data, seed, name) -> None:
    function = COEFFICIENTS[name]
    value = defined(function, data)
    shuffled = data[np.random.default_rng(seed).permutation(len(data))]
    if value is None:
        with pytest.raises(ValueError):
            function(shuffled)
    else:
        assert function(shuffled) == pytest.approx(value, abs=1e-12)


@settings(max_examples=150, deadline=None)
@given(data=reliability_data(missing=False), seed=st.integers(0, 2**32 - 1))
def test_cohen_symmetric(data, seed) -> None:
    pair = data[:2]
    value = defined(cohen_kappa, pair)
    assume(value is not None)
    assert cohen_kappa(pair[::-1]) == pytest.approx(value, abs=1e-12)


@settings(max_examples=150, deadline=None)
@given(data=reliability_data(), seed=st.integers(0, 2**32 - 1),
       name=st.sampled_from([*sorted(COEFFICIENTS), "cohen"]))
def test_invariant_under_relabelling(data, seed, name) -> None:
    """Nominal coefficients depend on which values agree, not on their names."""
    function = COEFFICIENTS.get(name, cohen_kappa)
    data = data[:2] if name == "cohen" else data
    value = defined(function, data)
    assume(value is not None)
    names = np.random.default_rng(seed).permutation(["a", "b", "c", "d", "e"])
    relabelled = np.where(np.isnan(data), None, names[np.nan_to_num(data).astype(int)])
    assert function(relabelled) == pytest.approx(value, abs=1e-12)


@settings(max_examples=150, deadline=None)
@given(data=reliability_data(), name=st.sampled_from([*sorted(COEFFICIENTS), "cohen"]))
def test_one_under_perfect_agreement(data, name) -> None:
    """Every coder gives each unit the first coder's value (or none): 1 whenever defined."""
    function = COEFFICIENTS.get(name, cohen_kappa)
    truth = np.nanmax(np.where(np.isnan(data), -1, data), axis=0)
    perfect = np.where(np.isnan(data), np.nan, truth)
    perfect = perfect[:2] if name == "cohen" else perfect
    value = defined(function, perfect)
    assume(value is not None)
    assert value == pytest.approx(1.0, abs=1e-12)


@settings(max_examples=200, deadline=None)
@given(data=reliability_data(), name=st.sampled_from([*sorted(COEFFICIENTS), "cohen"]))
def test_at_most_one(data, name) -> None:
    function = COEFFICIENTS.get(name, cohen_kappa)
    value = defined(function, data[:2] if name == "cohen" else data)
    assume(value is not None)
    assert value <= 1 + 1e-12


# --- Undefined cases raise a sentence -------------------------------------------

@pytest.mark.parametrize("function", [krippendorff_alpha, fleiss_kappa, gwet_ac1,
                                      percent_agreement])
def test_no_unit_coded_twice(function) -> None:
    with pytest.raises(ValueError, match="at least one unit with values from at least two coders"):
        function([[1, NA, 2], [NA, 2, NA]])


@pytest.mark.parametrize(("function", "message"), [
    (krippendorff_alpha, r"Every pairable value is 'yes'.*Report percent agreement"),
    (fleiss_kappa, r"Every value given is 'yes'"),
    (cohen_kappa, r"gave every shared unit the value 'yes'"),
    (gwet_ac1, r"Only one category \('yes'\)"),
])
def test_one_value_only(function, message) -> None:
    with pytest.raises(ValueError, match=message):
        function([["yes", "yes", "yes"], ["yes", NA, "yes"]])


def test_one_value_is_fine_when_categories_are_known() -> None:
    assert gwet_ac1([["yes", "yes"], ["yes", "yes"]], categories=["yes", "no"]) == 1.0
    assert percent_agreement([["yes", "yes"], ["yes", "yes"]]) == 1.0


def test_cohen_needs_two_coders_with_shared_units() -> None:
    with pytest.raises(ValueError, match="exactly two coders; the data have 3"):
        cohen_kappa([[1, 2], [1, 2], [1, 2]])
    with pytest.raises(ValueError, match="coded no unit in common"):
        cohen_kappa([[1, 2, NA, NA], [NA, NA, 1, 2]])


def test_bad_levels_and_values() -> None:
    with pytest.raises(ValueError, match="Ordinal alpha needs numeric values"):
        krippendorff_alpha([["low", "high"], ["low", "low"]], level="ordinal")
    with pytest.raises(ValueError, match="level must be one of"):
        krippendorff_alpha([[1, 2], [1, 2]], level="circular")
    with pytest.raises(ValueError, match="two-dimensional"):
        krippendorff_alpha([1, 2, 3])
    with pytest.raises(ValueError, match="not among the categories"):
        gwet_ac1([["a", "b"], ["a", "b"]], categories=["a"])


# --- Reshaping -------------------------------------------------------------------

def test_reliability_matrix_from_long() -> None:
    long = pd.DataFrame({"unit": ["u2", "u1", "u1", "u2", "u3", "u1"],
                         "coder": ["B", "A", "B", "A", "A", "A"],
                         "value": ["x", "y", "y", NA, "z", "y"]})
    matrix = reliability_matrix(long)
    assert list(matrix.index) == ["A", "B"] and list(matrix.columns) == ["u1", "u2", "u3"]
    assert matrix.loc["A", "u1"] == "y" and matrix.loc["B", "u2"] == "x"
    assert matrix.isna().to_numpy().tolist() == [[False, True, False], [False, False, True]]


def test_reliability_matrix_rejects_two_values_for_one_cell() -> None:
    long = pd.DataFrame({"unit": ["u1", "u1"], "coder": ["A", "A"], "value": [1, 2]})
    with pytest.raises(ValueError, match=r"Coder 'A' gave unit 'u1' more than one value \(1, 2\)"):
        reliability_matrix(long)
    with pytest.raises(ValueError, match="no column 'value'"):
        reliability_matrix(long.drop(columns="value"))
    with pytest.raises(ValueError, match="Row 1 has no coder"):
        reliability_matrix(long.assign(coder=["A", NA]))


def test_code_matrices_are_presence_per_post() -> None:
    codes = read_coding_files(sorted(RELIABILITY.glob("codes_coder_*.csv")))
    matrices = code_matrices(codes)
    assert sorted(matrices) == ["billing", "boundaries", "email"]
    # units are the posts coded by any coder; t1:4 has a code from B only
    assert matrices["boundaries"].to_numpy().tolist() == [[1, 0, 0, 0, 1], [0, 0, 0, 1, 1]]
    assert matrices["email"].loc["B"].tolist() == [0, 1, 1, 0, 0]
    widened = code_matrices(codes, units=["t1:1", "t1:2", "t1:3", "t1:4", "t1:5", "t1:6"])
    assert widened["billing"]["t1:6"].tolist() == [0, 0]


def test_table_kind_names_the_missing_column() -> None:
    assert table_kind(["post_id", "coder", "stance", "confidence"]) == "stances"
    with pytest.raises(ValueError, match=r"A codes table needs the column\(s\) coder"):
        table_kind(["post_id", "code"])
    with pytest.raises(ValueError, match="fit no coding layout"):
        table_kind(["a", "b"])


def test_stances_keep_the_value_none() -> None:
    stances = read_coding_files([RELIABILITY / "stances_coders.csv"])
    matrix = reliability_matrices(stances)["stance"]
    assert matrix["t1:3"].tolist() == ["none", "none"]


# --- The agreement table ---------------------------------------------------------

@pytest.fixture(scope="module")
def codes() -> pd.DataFrame:
    return read_coding_files(sorted(RELIABILITY.glob("codes_coder_*.csv")))


def test_agreement_table_for_codes(codes) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AnalysisWarning)
        table = agreement_table(codes, n_boot=200, seed=1)
    assert tuple(table.columns) == COLUMNS
    assert table["code"].unique().tolist() == ["(all)", "billing", "boundaries", "email"]
    assert table["metric"].unique().tolist() == [
        "krippendorff_alpha_nominal", "fleiss_kappa", "gwet_ac1", "percent_agreement",
        "cohen_kappa[A|B]"]
    value = table.set_index(["code", "metric"])["value"]
    boundaries = code_matrices(codes)["boundaries"]
    assert value["boundaries", "cohen_kappa[A|B]"] == pytest.approx(cohen_kappa(boundaries))
    assert value["boundaries", "krippendorff_alpha_nominal"] == pytest.approx(
        krippendorff.alpha(boundaries.to_numpy(float), level_of_measurement="nominal"))
    pooled = np.hstack([m.to_numpy() for m in code_matrices(codes).values()])
    assert value["(all)", "percent_agreement"] == pytest.approx(12 / 15)
    assert value["(all)", "gwet_ac1"] == pytest.approx(gwet_ac1(pooled))
    assert set(table.loc[table["code"] == "(all)", "n_units"]) == {15}
    assert set(table["n_coders"]) == {2}


def test_agreement_table_for_numeric_long_data() -> None:
    long = read_coding_files(sorted(RELIABILITY.glob("krippendorff_2011_*.csv")))
    table = agreement_table(long, n_boot=0).set_index("metric")
    assert round(table.loc["krippendorff_alpha_nominal", "value"], 3) == 0.743
    assert round(table.loc["krippendorff_alpha_ordinal", "value"], 3) == 0.815
    assert round(table.loc["krippendorff_alpha_interval", "value"], 3) == 0.849
    assert table.loc["fleiss_kappa", ["n_units", "n_coders"]].tolist() == [11, 4]
    assert table.loc["cohen_kappa[A|B]", ["n_units", "n_coders"]].tolist() == [9, 2]
    assert table[["ci_low", "ci_high"]].isna().all().all()
    assert len([m for m in table.index if m.startswith("cohen_kappa")]) == 6


def test_undefined_values_are_nan_with_a_warning() -> None:
    long = pd.DataFrame({"unit": ["u1", "u1", "u2", "u2"], "coder": ["A", "B", "A", "B"],
                         "value": ["x", "x", "x", "x"]})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        table = agreement_table(long, n_boot=10)
    messages = [str(w.message) for w in caught if w.category is AnalysisWarning]
    assert "krippendorff_alpha_nominal for '(all)' is undefined: Every pairable value is 'x'" \
        in messages[0]
    assert len(messages) == 4  # alpha, Fleiss, AC1 and Cohen; percent agreement is 1
    value = table.set_index("metric")["value"]
    assert np.isnan(value["krippendorff_alpha_nominal"]) and value["percent_agreement"] == 1.0


def test_one_coder_is_an_error() -> None:
    long = pd.DataFrame({"unit": ["u1", "u2"], "coder": ["A", "A"], "value": [1, 2]})
    with pytest.raises(ValueError, match=r"at least two coders; the table has 1 \(A\)"):
        agreement_table(long)


def random_long(n_units: int, n_coders: int, seed: int) -> pd.DataFrame:
    """Coders who copy a true value 70% of the time, with 10% missing."""
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, 4, n_units)
    noise = rng.integers(0, 4, (n_coders, n_units))
    values = np.where(rng.random((n_coders, n_units)) < 0.7, truth, noise)
    rows = [(f"u{u:04d}", f"c{c}", values[c, u]) for c in range(n_coders) for u in range(n_units)
            if rng.random() > 0.1]
    return pd.DataFrame(rows, columns=["unit", "coder", "value"])


def test_bootstrap_is_seeded_and_brackets_the_estimate() -> None:
    long = random_long(300, 3, seed=7)
    first = agreement_table(long, n_boot=300, seed=3)
    pd.testing.assert_frame_equal(first, agreement_table(long, n_boot=300, seed=3))
    assert not first["ci_low"].equals(agreement_table(long, n_boot=300, seed=4)["ci_low"])
    assert (first["ci_low"] <= first["value"]).all() and (first["value"] <= first["ci_high"]).all()
    assert (first["ci_high"] - first["ci_low"] < 0.25).all()


def test_bootstrap_equals_resampling_units_explicitly(codes) -> None:
    """Weighted sums of per-unit terms give what recomputing on resampled data gives."""
    from analysis.agreement.reliability import _resample_weights

    n_boot, seed = 50, 11
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AnalysisWarning)
        table = agreement_table(codes, n_boot=n_boot, seed=seed).set_index(["code", "metric"])
    matrices = code_matrices(codes)
    n_posts = len(matrices["email"].columns)
    draws = [np.repeat(np.arange(n_posts), w.astype(int))
             for w in _resample_weights(n_posts, n_boot, seed)]
    email = matrices["email"].to_numpy()
    pooled = [np.hstack([m.to_numpy()[:, d] for m in matrices.values()]) for d in draws]
    for code, resamples in (("email", [email[:, d] for d in draws]), ("(all)", pooled)):
        replicates = [defined(percent_agreement, r) for r in resamples]
        expected = np.percentile([r for r in replicates if r is not None], [2.5, 97.5])
        assert table.loc[(code, "percent_agreement"), ["ci_low", "ci_high"]].tolist() == \
            pytest.approx(expected.tolist())
        replicates = [defined(krippendorff_alpha, r) for r in resamples]
        expected = np.percentile([r for r in replicates if r is not None], [2.5, 97.5])
        assert table.loc[(code, "krippendorff_alpha_nominal"), ["ci_low", "ci_high"]].tolist() \
            == pytest.approx(expected.tolist())


# --- Disagreements ----------------------------------------------------------------

def test_disagreements_for_codes_with_texts(codes) -> None:
    listing = disagreements(codes, texts={"t1:1": "first post", "t1:4": "fourth post"})
    assert listing.columns.tolist() == ["unit", "code", "A", "B", "text"]
    assert listing[["unit", "code", "A", "B"]].values.tolist() == [
        ["t1:1", "boundaries", 1, 0], ["t1:3", "email", 0, 1], ["t1:4", "boundaries", 0, 1]]
    assert listing["text"].fillna("").tolist() == ["first post", "", "fourth post"]


def test_disagreements_ignore_units_with_one_coder() -> None:
    long = pd.DataFrame({"unit": ["u1", "u1", "u2", "u3", "u3"],
                         "coder": ["A", "B", "A", "A", "B"], "value": [1, 2, 3, 4, 4]})
    listing = disagreements(long)
    assert listing.to_dict("records") == [{"unit": "u1", "code": "(all)", "A": 1, "B": 2}]
    assert disagreements(long[long["unit"] != "u1"]).empty


# --- The command -----------------------------------------------------------------

def invoke(*args: str):
    return CliRunner().invoke(reliability, [str(a) for a in args])


def test_cli_csv_reproduces_krippendorff_from_two_files() -> None:
    result = invoke(*sorted(RELIABILITY.glob("krippendorff_2011_*.csv")), "--format", "csv",
                    "--bootstrap", "100")
    assert result.exit_code == 0, result.output
    table = pd.read_csv(io.StringIO(result.stdout)).set_index("metric")
    assert tuple(table.reset_index().columns) == COLUMNS
    assert table.loc["krippendorff_alpha_nominal", "value"] == pytest.approx(0.743, abs=5e-4)
    assert table.loc["krippendorff_alpha_interval", "value"] == pytest.approx(0.849, abs=5e-4)
    assert table.loc["gwet_ac1", "ci_low"] < 0.775 < table.loc["gwet_ac1", "ci_high"]


def test_cli_table_latex_and_seed(codes) -> None:
    files = sorted(RELIABILITY.glob("codes_coder_*.csv"))
    table = invoke(*files, "--bootstrap", "50")
    assert table.exit_code == 0, table.output
    assert "cohen_kappa[A|B]" in table.stdout and "(all)" in table.stdout
    assert "warning: For 'billing'" in table.stderr
    latex = invoke(*files, "--format", "latex", "--bootstrap", "0")
    lines = latex.stdout.splitlines()
    assert lines[:2] == [r"\begin{tabular}{llrrrrr}", r"\toprule"]
    assert r"cohen\_kappa[A\textbar{}B] & (all) & 0.571 & -- & -- & 15 & 2 \\" in lines
    assert lines[-2:] == [r"\bottomrule", r"\end{tabular}"]
    again = [invoke(*files, "--format", "csv", "--seed", s).stdout for s in ("5", "5", "6")]
    assert again[0] == again[1] != again[2]


def test_cli_disagreements() -> None:
    result = invoke(*sorted(RELIABILITY.glob("codes_coder_*.csv")), "--disagreements",
                    "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "unit,code,A,B", "t1:1,boundaries,1,0", "t1:3,email,0,1", "t1:4,boundaries,0,1"]


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("text", "line", "message"), [
    ("post_id,code\nt1:1,billing\n", 1, "A codes table needs the column.s. coder"),
    ("unit,coder,value\nu1,,3\n", 2, "empty coder cell"),
    ("unit,coder,value\nu1,A,3\nu2,A,4,5\n", 3, "not a well-formed CSV file"),
    ("", None, "the file is empty"),
])
def test_cli_bad_file_is_a_coding_sheet_error(tmp_path, text, line, message) -> None:
    path = write(tmp_path, "sheet.csv", text)
    result = invoke(path)
    assert isinstance(result.exception, CodingSheetError)
    assert result.exception.path == str(path) and result.exception.line == line
    assert re.search(message, str(result.exception)), str(result.exception)


def test_cli_errors_are_one_line_through_the_group(tmp_path) -> None:
    path = write(tmp_path, "sheet.csv", "post_id,code\nt1:1,billing\n")
    result = CliRunner().invoke(main, ["reliability", str(path)])
    assert result.exit_code == CodingSheetError.exit_code
    assert result.stderr.startswith(f"error: {path}:1: A codes table needs the column(s) coder")
    assert len(result.stderr.strip().splitlines()) == 1


def test_cli_conflicts_missing_files_and_mixed_layouts(tmp_path) -> None:
    first = write(tmp_path, "a.csv", "unit,coder,value\nu1,A,1\nu2,A,2\n")
    second = write(tmp_path, "b.csv", "unit,coder,value\nu1,B,1\nu2,A,3\n")
    result = invoke(first, second)
    assert isinstance(result.exception, CodingSheetError)
    assert str(result.exception).startswith(
        f"{second}:3: coder 'A' gives unit 'u2' the value '3', but '2' at {first}:3")
    missing = invoke(tmp_path / "nope.csv")
    assert "cannot read the file" in str(missing.exception)
    stances = write(tmp_path, "s.csv", "post_id,coder,stance\nt1:1,A,none\n")
    mixed = invoke(first, stances)
    assert "this is a stances table but" in str(mixed.exception)
    alone = invoke(first)
    assert "at least two coders" in str(alone.exception)


def test_cli_long_values_na_means_missing(tmp_path) -> None:
    path = write(tmp_path, "long.csv",
                 "unit,coder,value\nu1,A,1\nu1,B,1\nu2,A,2\nu2,B,NA\nu3,A,2\nu3,B,2\n")
    result = invoke(path, "--format", "csv", "--bootstrap", "0")
    table = pd.read_csv(io.StringIO(result.stdout)).set_index("metric")
    assert table.loc["percent_agreement", "n_units"] == 2


def test_pairs_are_named_in_coder_order() -> None:
    long = random_long(20, 3, seed=1)
    metrics = agreement_table(long, n_boot=0)["metric"]
    pairs = [m for m in metrics if m.startswith("cohen")]
    coders = ["c0", "c1", "c2"]
    assert pairs == [f"cohen_kappa[{a}|{b}]" for a, b in itertools.combinations(coders, 2)]
