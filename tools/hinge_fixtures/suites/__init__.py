"""Registry: which generator module provides which suites.

The mapping is written out rather than discovered so that listing and selecting suites
never imports a module: framework generators (torch.py; keras.py, tensorflow.py and optax.py,
which run their framework in worker processes; sklearn.py) may
import their framework, and a run that only
regenerates math.* suites must not need those frameworks installed. (torch.py imports
torch only when it is there: without it, its suites can be checked but not written.) `load_suite` checks
that a module provides exactly the suites registered for it, so the list cannot go stale.
"""
from __future__ import annotations

import importlib

from ..fixture import Suite

GENERATORS: dict[str, tuple[str, ...]] = {
    "textbook": (
        "math.hinge",
        "math.squared_hinge",
        "math.softplus_hinge",
        "math.logistic",
        "math.huber_margin",
        "math.ranking_hinge",
        "math.crammer_singer",
        "math.weston_watkins",
    ),
    "torch": (
        "torch.nn.functional.multi_margin_loss",
        "torch.nn.functional.hinge_embedding_loss",
        "torch.nn.functional.margin_ranking_loss",
        "torch.nn.functional.soft_margin_loss",
        "torch.nn.functional.multilabel_margin_loss",
        "torch.nn.functional.triplet_margin_loss",
    ),
    "keras": (
        "keras.losses.hinge",
        "keras.losses.squared_hinge",
        "keras.losses.categorical_hinge",
        "keras.losses.Hinge",
        "keras.losses.SquaredHinge",
        "keras.losses.CategoricalHinge",
    ),
    "tensorflow": (
        "tensorflow.compat.v1.losses.hinge_loss",
    ),
    "optax": (
        "optax.hinge_loss",
        "optax.losses.perceptron_loss",
        "optax.losses.multiclass_hinge_loss",
        "optax.losses.multiclass_perceptron_loss",
    ),
    "sklearn": (
        "sklearn.svm.LinearSVC",
        "sklearn.metrics.hinge_loss",
        "sklearn.linear_model.SGDClassifier.loss",
    ),
}


def suite_names() -> list[str]:
    """All registered suites, in registry order (the order files are written and checked)."""
    return [name for names in GENERATORS.values() for name in names]


def load_suite(name: str) -> tuple[Suite, str]:
    """The suite and the repository path of its generator (recorded in provenance)."""
    for module_name, names in GENERATORS.items():
        if name in names:
            module = importlib.import_module(f"{__name__}.{module_name}")
            provided = tuple(module.SUITES)
            if provided != names:
                raise RuntimeError(f"{module_name}.py provides {provided}, the registry says {names}")
            generator = "tools/" + module.__name__.replace(".", "/") + ".py"
            return module.SUITES[name], generator
    raise KeyError(f"unknown suite {name!r}; known: {', '.join(suite_names())}")
