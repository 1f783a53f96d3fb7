"""The tests of tools/. Run from the repository root as `python3 -m unittest discover -s tools/tests -t tools`
(tools/ is the top level, so `hinge_fixtures` and the scripts import as they do from tools/), or
`python3 -m pytest` from tools/."""
