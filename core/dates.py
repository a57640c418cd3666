"""Calendar arithmetic the apps share."""

from __future__ import annotations

import calendar
from datetime import date, datetime


def add_months(moment: datetime | date, months: int) -> datetime | date:
    """The same day `months` later, or the month's last day where it is shorter (31 Jan + 1 = 28/29 Feb)."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)
