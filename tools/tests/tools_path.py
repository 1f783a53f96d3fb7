"""Puts tools/ on sys.path, so that the tests import `hinge_fixtures` (and the scripts in
tools/) the same way under both runners:

    python3 -m unittest discover -s tools/tests     (.ci/run; the start folder is all it adds)
    python3 -m pytest                               (from tools/: pyproject.toml sets pythonpath)

Every test module imports this first; it is the only place that touches sys.path.
"""
import os
import sys

TOOLS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if TOOLS not in sys.path:
    sys.path.insert(0, TOOLS)
