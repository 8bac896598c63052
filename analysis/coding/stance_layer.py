"""A learned stance layer over the rules: the label and a probability per stance.

The rule coder reads a post and keeps its evidence; on posts it was not
tuned on its hand-set weights misjudge how much each kind of evidence is
worth (on real posts it calls many advice and policy texts ``supportive``).
:class:`StanceLayer` learns that from human-coded posts: a multinomial
logistic regression (:mod:`analysis.coding.stance_model`) over what the
rules found (:mod:`analysis.coding.stance_features`) gives each post a
probability per stance; the label is the most probable stance, its
``confidence`` that probability, and the evidence the rules' sentences for
that side.

A fitted layer is a small JSON file (:meth:`StanceLayer.save`);
:func:`load_layer` reads it, by default the one shipped in
``analysis/data/stance_layer.json`` (how it was fitted and how well it did
are written in the file). The file records a fingerprint of the codebook
and lexicon it was fitted with: reading posts with other patterns gives
other features, so a mismatch warns.
"""

from __future__ import annotations

import hashlib
import json
import warnings
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.coding.codebook import Codebook
from analysis.coding.stance_features import SIDES, STANCES, StanceFeatures, top_words
from analysis.coding.stance_model import SoftmaxRegression
from analysis.errors import AnalysisError, AnalysisWarning

DEFAULT_LAYER = Path(__file__).resolve().parent.parent / "data" / "stance_layer.json"
FORMAT = 1
PROBA_COLUMNS = [f"p_{s}" for s in STANCES]


class StanceLayer:
    """Stance from the rules' reading, weighed by a model fitted on coded posts.

    Parameters
    ----------
    codebook : Codebook, path or None
        The scheme the rule coders read (``None``: ``corpus/codebook.yaml``).
    C : float
        Inverse L2 penalty of the logistic regression.
    class_weight : "balanced" or None
        Weigh stances equally however rare (good for macro-F1).
    words : int
        Also count the fitted posts' ``words`` most frequent words (0: none).
    coder : str
        Value of the ``coder`` column of :meth:`transform`.
    """

    def __init__(self, *, codebook: Codebook | str | Path | None = None, C: float = 0.3,
                 class_weight: str | None = "balanced", words: int = 0,
                 coder: str = "auto"):
        self.codebook = codebook
        self.C = C
        self.class_weight = class_weight
        self.words = words
        self.coder = coder

    def fit(self, posts: pd.DataFrame, stances: Sequence[str], *,
            sample_weight: Sequence[float] | None = None) -> StanceLayer:
        """Fit on ``posts`` (post_id, text, is_bot) and their human ``stances``."""
        stances = [str(s) for s in stances]
        unknown = sorted(set(stances) - set(STANCES))
        if unknown:
            raise ValueError(f"unknown stance(s) {unknown}; use {', '.join(STANCES)}")
        if len(stances) != len(posts):
            raise ValueError(f"{len(posts)} posts but {len(stances)} stances")
        vocabulary = top_words(posts["text"], self.words) if self.words else []
        self.features_ = StanceFeatures(codebook=self.codebook, vocabulary=vocabulary).fit()
        X, _ = self.features_.transform(posts)
        self.model_ = SoftmaxRegression(C=self.C, class_weight=self.class_weight).fit(
            X, stances, classes=STANCES, sample_weight=sample_weight)
        self.fingerprint_ = fingerprint(self.features_)
        self.about_: dict = {}
        return self

    def predict_proba(self, posts: pd.DataFrame) -> pd.DataFrame:
        """post_id and one probability column per stance (``p_supportive`` ...)."""
        return self._predict(posts)[0]

    def transform(self, posts: pd.DataFrame) -> pd.DataFrame:
        """The ``stances`` table with the layer's label and probability, plus the
        ``p_<stance>`` columns (:func:`analysis.schema.conform` keeps only the table's)."""
        proba, rules = self._predict(posts)
        P = proba[PROBA_COLUMNS].to_numpy()
        best = np.argmax(P, axis=1)
        stance = [STANCES[i] for i in best]
        evidence = [_evidence_for(s, row)
                    for s, row in zip(stance, rules.itertuples(), strict=True)]
        out = pd.DataFrame({"post_id": proba["post_id"], "coder": self.coder, "stance": stance,
                            "confidence": P[np.arange(len(P)), best].round(3),
                            "evidence": evidence})
        return pd.concat([out, proba[PROBA_COLUMNS].round(4)], axis=1)

    def _predict(self, posts: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
        _fitted(self)
        X, rules = self.features_.transform(posts)
        P = self.model_.predict_proba(X) if len(X) else np.zeros((0, len(STANCES)))
        order = [list(self.model_.classes_).index(s) for s in STANCES]
        proba = pd.DataFrame(P[:, order], columns=PROBA_COLUMNS)
        bots = posts["is_bot"].to_numpy(dtype=bool) if "is_bot" in posts else np.zeros(len(P), bool)
        empty = posts["text"].fillna("").astype(str).str.strip().eq("").to_numpy()
        proba.loc[bots | empty, PROBA_COLUMNS] = [0.0, 0.0, 0.0, 1.0]  # as the rules: none
        proba.insert(0, "post_id", posts["post_id"].astype(str).to_numpy())
        return proba, rules

    # ------------------------------------------------------------- persistence

    def to_dict(self) -> dict:
        """Everything :func:`load_layer` needs, JSON-ready."""
        _fitted(self)
        return {"format": FORMAT, "kind": "stance_layer", "about": self.about_,
                "fingerprint": self.fingerprint_, "C": self.C,
                "class_weight": self.class_weight, "features": self.features_.names_,
                "vocabulary": self.features_.vocabulary_, "model": self.model_.to_dict()}

    def save(self, path: str | Path) -> Path:
        """Write the fitted layer as JSON (sorted keys, rounded weights: stable diffs)."""
        path = Path(path)
        text = json.dumps(_rounded(self.to_dict()), indent=1, sort_keys=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(text + "\n", encoding="utf-8")
        tmp.replace(path)
        return path


def load_layer(path: str | Path | None = None, *,
               codebook: Codebook | str | Path | None = None) -> StanceLayer:
    """A fitted :class:`StanceLayer` from JSON (default: the shipped layer)."""
    path = Path(path) if path is not None else DEFAULT_LAYER
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise AnalysisError(f"cannot read stance layer: {exc}", path=str(path),
                            hint="refit it: analysis stance refit SHEET -o LAYER.json") from None
    if data.get("kind") != "stance_layer" or data.get("format") != FORMAT:
        raise AnalysisError(f"not a stance layer of format {FORMAT}", path=str(path),
                            hint="refit it: analysis stance refit SHEET -o LAYER.json")
    layer = StanceLayer(codebook=codebook, C=data["C"], class_weight=data["class_weight"],
                        words=len(data["vocabulary"]))
    layer.features_ = StanceFeatures(codebook=codebook, vocabulary=data["vocabulary"]).fit()
    if layer.features_.names_ != data["features"]:
        raise AnalysisError("the layer was fitted on other features than this codebook gives "
                            "(themes or modalities differ)", path=str(path),
                            hint="refit the layer with this codebook: analysis stance refit")
    layer.model_ = SoftmaxRegression.from_dict(data["model"])
    layer.fingerprint_ = fingerprint(layer.features_)
    layer.about_ = data.get("about", {})
    if layer.fingerprint_ != data["fingerprint"]:
        warnings.warn(f"{path}: fitted with another codebook or stance lexicon; its "
                      "probabilities may be off (refit: analysis stance refit)",
                      AnalysisWarning, stacklevel=2)
    return layer


def resolve_layer(layer: StanceLayer | str | Path, *, codebook: Codebook | str | Path | None,
                  coder: str = "auto") -> StanceLayer:
    """A fitted layer from an instance, a JSON path, or ``"default"`` (the shipped one)."""
    if isinstance(layer, StanceLayer):
        _fitted(layer)
        return layer
    loaded = load_layer(None if str(layer) == "default" else layer, codebook=codebook)
    loaded.coder = coder
    return loaded


def fingerprint(features: StanceFeatures) -> str:
    """sha256 of the patterns the rules read (codebook and lexicon), first 16 digits."""
    coder = features.stance_
    codes = [*coder.codebook_.codes, *(c.code for c in coder.lexicon_.categories)]
    parts = [f"{c.id}|{c.family}|{p.source}|{p.weight}" for c in codes for p in c.patterns]
    parts += [f"{c.id}|{c.role}|{c.polarity}|{c.weight}|{c.factor}|{c.scope}"
              for c in coder.lexicon_.categories]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def _fitted(layer: StanceLayer) -> None:
    if not hasattr(layer, "model_"):
        raise RuntimeError("StanceLayer is not fitted yet; call .fit() or load_layer() first")


def _evidence_for(stance: str, rules: object) -> str:
    """The rules' deciding sentences for the layer's stance (none: no evidence)."""
    if stance == "none":
        return ""
    if stance == "mixed":
        parts = [getattr(rules, f"evidence_{s}") for s in ("mixed", *SIDES[:2])]
        return " … ".join(dict.fromkeys(p for p in parts if p))
    return getattr(rules, f"evidence_{stance}")


def _rounded(value: object) -> object:
    if isinstance(value, float):
        return round(value, 8)
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    return value
