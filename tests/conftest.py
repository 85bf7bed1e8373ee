"""Hypothesis settings profiles for the test suite.

``ci`` (the default) keeps every property test bounded so that the whole
suite stays fast; ``campaign`` is for a long hunt run by hand::

    HYPOTHESIS_PROFILE=campaign .venv/bin/python -m pytest tests/test_properties.py tests/test_reference.py

(``HYPOTHESIS_MAX_EXAMPLES=N`` changes the campaign's size.)
``dev`` is a quick smoke run (a few examples per property).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    max_examples=100,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "campaign",
    max_examples=int(os.environ.get("HYPOTHESIS_MAX_EXAMPLES", "20000")),
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile("dev", max_examples=10, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
