"""Ids read from what a client sent: a number a database key holds, or None (never a 500)."""

import pytest

from atelier.core.params import MAX_ID, as_id


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12", 12),
        ("0", 0),
        (12, 12),
        ("9223372036854775807", 9_223_372_036_854_775_807),
        ("9223372036854775808", None),  # one more than SQLite's INTEGER holds: was an OverflowError
        ("1" * 30, None),
        ("²", None),  # a Unicode digit: isdigit() said yes, int() refused
        ("١٢", None),  # Arabic-Indic digits
        ("-3", None),
        ("1.5", None),
        (" 12", None),
        ("", None),
        (None, None),
    ],
)
def test_as_id(raw, expected):
    assert as_id(raw) == expected
    assert MAX_ID == 2**63 - 1
