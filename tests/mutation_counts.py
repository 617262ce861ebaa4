"""Counts of the property-based config mutations, printed at the end of the test run (see conftest.py)."""

from collections import Counter

COUNTS: Counter[str] = Counter()
