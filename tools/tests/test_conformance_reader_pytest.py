"""The pytest face of hinge_conformance_fixtures: one test per case of fixtures/math.hinge.json,
parametrized with the reader's helper and named by case id. (unittest collects nothing here.)"""
from __future__ import annotations

import numpy as np

import hinge_conformance_fixtures as reader
from tests.test_conformance_reader import numpy_hinge

try:
    import pytest
except ImportError:  # unittest discover without pytest installed
    pytest = None

if pytest is not None:
    @reader.parametrize("math.hinge")
    def test_numpy_hinge_case(case):
        with np.errstate(all="ignore"):
            reader.check_case(lambda c: numpy_hinge(c.params, c.inputs), case)

    @pytest.mark.parametrize("case", reader.cases("math.hinge", filter=lambda c: "kink" in c.tags), ids=reader.case_id)
    def test_wrong_variant_fails_at_the_kink(case):
        with np.errstate(all="ignore"), pytest.raises(AssertionError, match="grad_z"):
            reader.check_case(lambda c: numpy_hinge(c.params, c.inputs, kink_slope=True), case)
