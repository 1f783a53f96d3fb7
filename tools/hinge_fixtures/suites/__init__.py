"""Case builders, one module per framework, and the suite registry.

The registry is data, hinge_fixtures/registry.json: every suite, the module that builds
it (suites/<module>.py; its NumPy mirror is mirrors/<module>.py) and the least number of
cases its fixture file must have. It is written out rather than discovered so that
listing and selecting suites never imports a module: framework builders (torch.py;
keras.py, tensorflow.py and optax.py, which run their framework in worker processes;
sklearn.py) may import their framework, and a run that only regenerates math.* suites
must not need those frameworks installed. (torch.py imports torch only when it is there:
without it, its suites can be checked but not written.) `load_suite` checks that a
module provides exactly the suites registered for it, so the list cannot go stale. The
Swift tests read the same file for the case counts.
"""
from __future__ import annotations

import contextlib
import importlib
import json
import os
from dataclasses import dataclass

from ..contract import Suite

REGISTRY_PATH = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "registry.json")


@dataclass(frozen=True)
class Entry:
    suite: str
    module: str
    min_cases: int


def _load_registry() -> tuple[Entry, ...]:
    with open(REGISTRY_PATH, encoding="utf-8") as f:
        rows = json.load(f)["suites"]
    entries = tuple(Entry(r["suite"], r["module"], int(r["min_cases"])) for r in rows)
    names = [e.suite for e in entries]
    if len(set(names)) != len(names):
        raise RuntimeError(f"{REGISTRY_PATH}: a suite is listed twice")
    return entries


REGISTRY: tuple[Entry, ...] = _load_registry()

# builder module -> its suites, in registry order
GENERATORS: dict[str, tuple[str, ...]] = {}
for _entry in REGISTRY:
    GENERATORS[_entry.module] = GENERATORS.get(_entry.module, ()) + (_entry.suite,)


def suite_names() -> list[str]:
    """All registered suites, in registry order (the order files are written and checked)."""
    return [e.suite for e in REGISTRY]


def entry(name: str) -> Entry:
    for e in REGISTRY:
        if e.suite == name:
            return e
    raise KeyError(f"unknown suite {name!r}; known: {', '.join(suite_names())}")


def module_of(name: str):
    """The builder module of a suite (imported)."""
    return importlib.import_module(f"{__name__}.{entry(name).module}")


def load_suite(name: str) -> tuple[Suite, str]:
    """The suite and the repository path of its builder (recorded in provenance)."""
    module_name = entry(name).module
    module = module_of(name)
    provided, names = tuple(module.SUITES), GENERATORS[module_name]
    if provided != names:
        raise RuntimeError(f"{module_name}.py provides {provided}, the registry says {names}")
    generator = "tools/" + module.__name__.replace(".", "/") + ".py"
    return module.SUITES[name], generator


@contextlib.contextmanager
def mirrors_only(modules=None):
    """Within the block, the framework builder modules named (default: every one) use their
    NumPy mirrors, as where no framework is installed: each Framework's off_env is set
    and its cached `reason()` forgotten; both are restored afterwards."""
    frameworks = [m.FRAMEWORK for m in (importlib.import_module(f"{__name__}.{name}")
                                        for name in (modules or GENERATORS)) if hasattr(m, "FRAMEWORK")]
    saved = {f.off_env: os.environ.get(f.off_env) for f in frameworks}
    try:
        for f in frameworks:
            os.environ[f.off_env] = "1"
            f.forget()
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        for f in frameworks:
            f.forget()
