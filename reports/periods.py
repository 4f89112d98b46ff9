"""US Government fiscal years and quarters (DOMAIN.md): FY2026 = 2025-10-01..2026-09-30,
Q1 Oct–Dec, Q2 Jan–Mar, Q3 Apr–Jun, Q4 Jul–Sep. The start month is a setting
(``LMS_FISCAL_YEAR_START_MONTH``, 10) so another donor's year can be used.

Facts carry a *month ordinal* (year * 12 + month - 1); a period is a half-open range of them.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings


def start_month() -> int:
    return int(getattr(settings, "LMS_FISCAL_YEAR_START_MONTH", 10))


def month_ordinal(day: date) -> int:
    return day.year * 12 + day.month - 1


def ordinal_date(ordinal: int) -> date:
    return date(ordinal // 12, ordinal % 12 + 1, 1)


def fiscal_year_of(day: date) -> int:
    first = start_month()
    return day.year + 1 if first > 1 and day.month >= first else day.year


def quarter_of(day: date) -> int:
    return (day.month - start_month()) % 12 // 3 + 1


@dataclass(frozen=True)
class Period:
    """Months [first, end) of a fiscal year or one of its quarters; key: "FY2026" / "FY2026Q2"."""

    fiscal_year: int
    quarter: int | None
    first: int
    end: int

    @property
    def key(self) -> str:
        return f"FY{self.fiscal_year}" + (f"Q{self.quarter}" if self.quarter else "")

    @property
    def label(self) -> str:
        return f"FY{self.fiscal_year}" + (f" Q{self.quarter}" if self.quarter else "")

    @property
    def starts(self) -> date:
        return ordinal_date(self.first)

    @property
    def ends(self) -> date:
        """The last day of the period."""
        from datetime import timedelta

        return ordinal_date(self.end) - timedelta(days=1)


def fiscal_year(fy: int) -> Period:
    first = start_month()
    year = fy - 1 if first > 1 else fy
    start = year * 12 + first - 1
    return Period(fy, None, start, start + 12)


def fiscal_quarter(fy: int, quarter: int) -> Period:
    if quarter not in (1, 2, 3, 4):
        raise ValueError(f"quarter must be 1–4, not {quarter}")
    year = fiscal_year(fy)
    start = year.first + 3 * (quarter - 1)
    return Period(fy, quarter, start, start + 3)
