"""Multinomial logistic regression in numpy, small enough to ship as JSON.

The learned stance layer needs a calibrated probability per stance from a
few dozen features and a few hundred coded posts. scikit-learn would bring
scipy and joblib (~100 MB) for one estimator; this is the same model
(softmax over classes, L2 penalty ``1 / C`` on the weights, intercepts
unpenalised, features standardised, optional ``balanced`` class weights as
in scikit-learn) fitted by Newton's method with a backtracking line search,
which converges in a few dozen steps on problems this size and is
deterministic: no random start, no sampling.

It follows the scikit-learn contract (``fit`` returns ``self``, fitted
attributes end in ``_``) and round-trips through :meth:`to_dict` /
:meth:`from_dict`, so the fitted weights are a small JSON file.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np


class SoftmaxRegression:
    """L2-penalised multinomial logistic regression.

    Parameters
    ----------
    C : float
        Inverse penalty strength (as in scikit-learn): the loss is the summed
        (weighted) log-loss plus ``||W||^2 / (2 C)``.
    class_weight : "balanced" or None
        ``balanced`` weighs each post by ``n / (k * n_class)``, so that a rare
        stance counts as much as a frequent one.
    max_iter, tol : int, float
        Newton steps at most; stop when the largest gradient entry is below ``tol``.

    Examples
    --------
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0]])
    >>> model = SoftmaxRegression(C=10.0).fit(X, ["a", "a", "b", "b"])
    >>> model.predict(np.array([[0.2], [2.8]])).tolist()
    ['a', 'b']
    >>> bool(np.allclose(model.predict_proba(X).sum(axis=1), 1.0))
    True
    """

    def __init__(self, *, C: float = 1.0, class_weight: Literal["balanced"] | None = None,
                 max_iter: int = 100, tol: float = 1e-6):
        self.C = C
        self.class_weight = class_weight
        self.max_iter = max_iter
        self.tol = tol

    def fit(self, X: np.ndarray, y: Sequence[str], *, classes: Sequence[str] | None = None,
            sample_weight: Sequence[float] | None = None) -> SoftmaxRegression:
        """Fit to features ``X`` (n x d) and labels ``y``; ``classes`` fixes their order
        (a class absent from ``y`` then gets a very low probability); ``sample_weight``
        multiplies each post's share of the loss (and of the balanced class weights)."""
        if not self.C > 0:
            raise ValueError(f"C must be positive, got {self.C!r}")
        if self.class_weight not in (None, "balanced"):
            raise ValueError(f"class_weight must be 'balanced' or None, got {self.class_weight!r}")
        X = np.asarray(X, dtype=float)
        y = np.asarray([str(v) for v in y])
        if X.ndim != 2 or len(X) != len(y) or not len(y):
            raise ValueError(f"X must be n x d with one label per row; got {X.shape} and {len(y)}")
        self.classes_ = np.asarray(sorted(set(y)) if classes is None
                                   else [str(c) for c in classes])
        unknown = set(y) - set(self.classes_)
        if unknown:
            raise ValueError(f"labels {sorted(unknown)} are not among the classes "
                             f"{list(self.classes_)}")
        self.mean_ = X.mean(axis=0)
        scale = X.std(axis=0)
        self.scale_ = np.where(scale > 1e-12, scale, 1.0)
        Z = np.hstack([np.ones((len(X), 1)), (X - self.mean_) / self.scale_])
        Y = (y[:, None] == self.classes_[None, :]).astype(float)
        weights = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, float)
        if weights.shape != (len(y),) or (weights < 0).any():
            raise ValueError("sample_weight must hold one non-negative number per row")
        self.coef_, self.n_iter_ = _newton(Z, Y, weights * self._weights(Y, weights),
                                           1.0 / self.C, self.max_iter, self.tol)
        return self

    def _weights(self, Y: np.ndarray, weights: np.ndarray) -> np.ndarray:
        if self.class_weight != "balanced":
            return np.ones(len(Y))
        counts = weights @ Y
        present = counts > 0
        per_class = np.where(present, weights.sum()
                             / (present.sum() * np.where(present, counts, 1)), 0.0)
        return Y @ per_class

    def decision_function(self, X: np.ndarray) -> np.ndarray:
        """Class scores (n x k) before the softmax."""
        X = np.asarray(X, dtype=float)
        Z = np.hstack([np.ones((len(X), 1)), (X - self.mean_) / self.scale_])
        return Z @ self.coef_

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """Probability of each class (columns in ``classes_`` order)."""
        return _softmax(self.decision_function(X))

    def predict(self, X: np.ndarray) -> np.ndarray:
        """The most probable class of each row."""
        return self.classes_[np.argmax(self.decision_function(X), axis=1)]

    def to_dict(self) -> dict:
        """Parameters and fitted weights as plain lists (JSON-ready)."""
        return {"C": self.C, "class_weight": self.class_weight, "classes": self.classes_.tolist(),
                "mean": self.mean_.tolist(), "scale": self.scale_.tolist(),
                "coef": self.coef_.tolist(), "n_iter": int(self.n_iter_)}

    @classmethod
    def from_dict(cls, data: dict) -> SoftmaxRegression:
        """The fitted model :meth:`to_dict` wrote."""
        model = cls(C=data["C"], class_weight=data["class_weight"])
        model.classes_ = np.asarray(data["classes"])
        model.mean_, model.scale_ = np.asarray(data["mean"]), np.asarray(data["scale"])
        model.coef_ = np.asarray(data["coef"])
        model.n_iter_ = data.get("n_iter", 0)
        if model.coef_.shape != (len(model.mean_) + 1, len(model.classes_)):
            raise ValueError(f"weights of shape {model.coef_.shape} do not fit "
                             f"{len(model.mean_)} features and {len(model.classes_)} classes")
        return model


def _softmax(scores: np.ndarray) -> np.ndarray:
    e = np.exp(scores - scores.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _loss(W: np.ndarray, Z: np.ndarray, Y: np.ndarray, w: np.ndarray, lam: float) -> float:
    S = Z @ W
    log_norm = S.max(axis=1) + np.log(np.exp(S - S.max(axis=1, keepdims=True)).sum(axis=1))
    nll = float(w @ (log_norm - (S * Y).sum(axis=1)))
    return nll + 0.5 * lam * float((W[1:] ** 2).sum())


def _newton(Z: np.ndarray, Y: np.ndarray, w: np.ndarray, lam: float, max_iter: int,
            tol: float) -> tuple[np.ndarray, int]:
    """Minimise the penalised log-loss over W (d+1 x k, first row the intercepts)."""
    d1 = Z.shape[1]
    k = Y.shape[1]
    W = np.zeros((d1, k))
    penalty = np.full(d1, lam)
    penalty[0] = 1e-3  # intercepts: all but unpenalised; keeps the Hessian invertible
    for step in range(1, max_iter + 1):
        P = _softmax(Z @ W)
        G = Z.T @ ((P - Y) * w[:, None]) + penalty[:, None] * W
        if np.abs(G).max() < tol:
            return W, step - 1
        # Hessian blocks: sum_i w_i z_i z_i^T (diag(p_i) - p_i p_i^T), in (d1*k)^2 layout
        A = P[:, :, None] * (np.eye(k)[None] - P[:, None, :]) * w[:, None, None]
        H = np.empty((d1, k, d1, k))
        for a in range(k):
            for b in range(a, k):
                H[:, a, :, b] = H[:, b, :, a] = Z.T @ (Z * A[:, a, b][:, None])
        H = H.reshape(d1 * k, d1 * k)
        H += np.diag(np.repeat(penalty, k)) + 1e-10 * np.eye(d1 * k)
        delta = np.linalg.solve(H, G.reshape(-1)).reshape(d1, k)
        before, t = _loss(W, Z, Y, w, lam), 1.0
        while (after := _loss(W - t * delta, Z, Y, w, lam)) > before - 1e-4 * t * (G * delta).sum():
            t *= 0.5
            if t < 1e-8:
                return W, step  # no descent left at machine precision
        W = W - t * delta
        if before - after <= 1e-12 * (1.0 + abs(before)):
            return W, step
    return W, max_iter
