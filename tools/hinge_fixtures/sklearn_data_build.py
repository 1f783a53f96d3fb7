"""Builds tools/hinge_fixtures/sklearn_data.json, the snapshot of the data sets the
sklearn.svm.LinearSVC fixtures train on, from scikit-learn itself:

    python -m hinge_fixtures.sklearn_data_build    (from tools/, with a Python that has scikit-learn 1.9.1)

The snapshot exists so that `generate_fixtures.py --check` can rebuild every case's
inputs with NumPy alone; when scikit-learn is installed, suites/sklearn.py compares the
snapshot with `build()` and refuses to generate if they differ.

Each set: float features z-scored over the whole bundled data set (NumPy mean and
population std) and rounded to 4 decimals, so that the fixtures hold short decimals;
digits keeps its integer pixels 0..16 (the suite divides them by 16, which is exact).
"""
from __future__ import annotations

import json
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
TARGET = os.path.join(HERE, "sklearn_data.json")


def _z(X: np.ndarray) -> np.ndarray:
    X = np.asarray(X, dtype=np.float64)
    return np.round((X - X.mean(axis=0)) / X.std(axis=0), 4) + 0.0   # + 0.0: no -0.0


def build() -> dict:
    """name -> {"X": float64 or int64 array, "y": int64 array, "source": str}."""
    from sklearn.datasets import load_breast_cancer, load_digits, load_iris, load_wine, make_classification

    sets = {}
    X, y = load_iris(return_X_y=True)
    sets["iris"] = (_z(X), y, "load_iris(), z-scored")
    X, y = load_wine(return_X_y=True)
    sets["wine"] = (_z(X), y, "load_wine(), z-scored")
    X, y = load_breast_cancer(return_X_y=True)
    sets["breast_cancer"] = (_z(X[:, :10])[:120], y[:120],
                             "load_breast_cancer(): first 10 features z-scored, rows 0..119")
    X, y = load_digits(return_X_y=True)
    rows = np.flatnonzero(y < 4)[:120]
    sets["digits"] = (X[rows].astype(np.int64), y[rows],
                      "load_digits(): the first 120 images of digits 0-3, pixels 0..16")
    X, y = make_classification(n_samples=140, n_features=6, n_informative=4, n_redundant=1, random_state=7)
    X = _z(X)
    X[np.abs(X) < 0.3] = 0.0
    sets["mc_binary"] = (X, y, "make_classification(140, 6, n_informative=4, n_redundant=1, random_state=7), "
                               "z-scored, |x| < 0.3 set to 0")
    X, y = make_classification(n_samples=140, n_features=5, n_informative=3, n_redundant=1, weights=[0.85, 0.15],
                               flip_y=0.02, random_state=11)
    sets["mc_imbalanced"] = (_z(X), y, "make_classification(140, 5, n_informative=3, n_redundant=1, "
                                       "weights=[0.85, 0.15], flip_y=0.02, random_state=11), z-scored")
    X, y = make_classification(n_samples=140, n_features=6, n_informative=4, n_redundant=0, n_classes=3,
                               n_clusters_per_class=1, random_state=5)
    sets["mc_multi3"] = (_z(X), y, "make_classification(140, 6, n_informative=4, n_redundant=0, n_classes=3, "
                                   "n_clusters_per_class=1, random_state=5), z-scored")
    X, y = make_classification(n_samples=45, n_features=60, n_informative=8, n_redundant=2, random_state=2)
    sets["mc_wide"] = (_z(X), y,
                       "make_classification(45, 60, n_informative=8, n_redundant=2, random_state=2), z-scored")
    X, y = make_classification(n_samples=160, n_features=8, n_informative=5, n_redundant=1, n_classes=4,
                               n_clusters_per_class=1, random_state=13)
    sets["mc_4class"] = (_z(X), y, "make_classification(160, 8, n_informative=5, n_redundant=1, n_classes=4, "
                                   "n_clusters_per_class=1, random_state=13), z-scored")
    return {name: {"X": X, "y": np.asarray(y, dtype=np.int64), "source": src} for name, (X, y, src) in sets.items()}


def _row(values) -> str:
    # json writes a float as its repr: the shortest decimal that reads back to the same bits
    return "[" + ", ".join(json.dumps(int(v)) if isinstance(v, (int, np.integer)) else json.dumps(float(v))
                           for v in values) + "]"


def render(sets: dict) -> str:
    """The JSON text of the snapshot (loaded by hinge_fixtures/sklearn_data.py): one row per line."""
    out = ["{"]
    names = list(sets)
    for i, name in enumerate(names):
        s = sets[name]
        out.append(f"  {json.dumps(name)}: {{")
        out.append(f'    "source": {json.dumps(s["source"])},')
        out.append(f'    "y": {_row(s["y"])},')
        out.append('    "X": [')
        out += [f"      {_row(r)}" + ("," if j < len(s["X"]) - 1 else "") for j, r in enumerate(s["X"])]
        out.append("    ]")
        out.append("  }" + ("," if i < len(names) - 1 else ""))
    out.append("}")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    text = render(build())
    with open(TARGET, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    print(f"wrote {TARGET} ({len(text)} bytes)")
