"""The NumPy mirrors: one module per framework, pure NumPy (no framework is imported),
one reference function per suite. What `--check`, the tests and the fuzzer's harness
(hinge_fixtures/harness.py) run; the case builders are in hinge_fixtures/suites/."""
