"""Days typed by users, and the GDPR's one-month deadline."""

from __future__ import annotations

import calendar
import datetime as dt
import re

RELATIVE = {"today": 0, "yesterday": 1}
ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
DAY_FIRST = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")


def parse_day(text: str, today: dt.date) -> dt.date | None:
    """`today`, `yesterday`, 2026-11-29, 29/11/2026, 29.11.2026 or 29-11-2026; None otherwise."""
    text = text.strip().lower()
    if text in RELATIVE:
        return today - dt.timedelta(days=RELATIVE[text])
    if match := ISO.match(text):
        year, month, day = match.groups()
    elif match := DAY_FIRST.match(text):
        day, month, year = match.groups()
    else:
        return None
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def one_month_after(day: dt.date) -> dt.date:
    """The same day next month, or that month's last day (31 January -> 28 or 29 February)."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def one_month_before(day: dt.date) -> dt.date:
    """The same day last month, or that month's last day (31 March -> 28 or 29 February)."""
    year, month = (day.year - 1, 12) if day.month == 1 else (day.year, day.month - 1)
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def reminder_day(sent_on: dt.date) -> dt.date:
    """When to ask whether Meta answered: the first day after its month to answer (Art. 12(3))."""
    return one_month_after(sent_on) + dt.timedelta(days=1)


def from_iso(text: str | None) -> dt.date | None:
    """A stored ISO date, or None when there is none ("" or missing)."""
    return dt.date.fromisoformat(text) if text else None
