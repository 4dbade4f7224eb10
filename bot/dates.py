"""Days typed by users, and the GDPR's one-month deadline."""

from __future__ import annotations

import calendar
import datetime as dt

RELATIVE = {"today": 0, "yesterday": 1}  # the values of the "Today" and "Yesterday" buttons
# No objection to Meta's AI training was sent before its plans were announced (2024).
EARLIEST = dt.date(2024, 1, 1)
LONGEST_DATE = 60  # characters of a typed date looked at: a date is short
LANGUAGES = ["fr", "en"]


def parse_day(text: str, today: dt.date) -> dt.date | None:
    """A past day as people type it in French or English ("hier", "15/09", "le 15 septembre",
    "Sept 15", "3 days ago", 2026-11-29), from 2024 to `today`; None otherwise.

    Day first when ambiguous (15/09, 03/04 is 3 April), and a date without a year is the last
    such day: "15/09" typed in December is this September.
    """
    text = text.strip()[:LONGEST_DATE]
    if text.lower() in RELATIVE:
        return today - dt.timedelta(days=RELATIVE[text.lower()])
    import dateparser  # loads its language data on first use: only when a date is typed

    settings = {
        "PREFER_DATES_FROM": "past",
        "RELATIVE_BASE": dt.datetime.combine(today, dt.time(12)),
        "DATE_ORDER": "DMY",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    parsed = dateparser.parse(text, languages=LANGUAGES, settings=settings) if text else None
    if parsed is None:
        return None
    day = parsed.date()
    return day if EARLIEST <= day <= today else None


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
