"""Pure rules of certification, without the database (easy to test and to replay by hand)."""

from __future__ import annotations

import calendar
import datetime
import hashlib


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day when it has none (31 January + 1 month → 28 or 29
    February)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def family_for_seed(seed: str, families: list[str]) -> str:
    """The family a seed draws: SHA-256 of the seed (UTF-8), read as a big-endian integer, modulo the number of
    families, in the order the référentiel lists them. Anyone can replay it, e.g. in a shell:
    `python3 -c "import hashlib; print(int(hashlib.sha256(b'SEED').hexdigest(), 16) % 4)"`. The bias of a
    256-bit number modulo 3 or 4 is below 2⁻²⁵⁰."""
    if not families:
        raise ValueError("no family to draw")
    digest = hashlib.sha256(seed.encode("utf-8")).hexdigest()
    return families[int(digest, 16) % len(families)]
