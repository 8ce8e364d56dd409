"""A long timeline in pages of a bounded size, grouped under month or year headings."""

import datetime as dt
import itertools
from dataclasses import dataclass

from django.db.models import Count, Max, Min

from .dates import FuzzyDate, Precision

PAGE_SIZE = 50
YEAR_GROUPS_FROM_MONTHS = 24  # a selection spanning more months than this is grouped by year


@dataclass
class Page:
    events: list
    number: int
    count: int
    total: int
    by_year: bool

    @property
    def has_previous(self):
        return self.number > 1

    @property
    def has_next(self):
        return self.number < self.count

    def groups(self, language):
        """[(heading, events)] in order: "Oktober 2024" or "2024"."""
        if self.by_year:
            key = lambda event: dt.date(event.starts_on.year, 1, 1)  # noqa: E731
            precision = Precision.YEAR
        else:
            key = lambda event: event.starts_on.replace(day=1)  # noqa: E731
            precision = Precision.MONTH
        return [
            (FuzzyDate(start, precision).label(language), list(events))
            for start, events in itertools.groupby(self.events, key=key)
        ]


def requested_page(value):
    """The page number a `?page=` asks for: a whole number from 1, else 1."""
    try:
        return max(int(value), 1)
    except (TypeError, ValueError):
        return 1


def page_of(selection, number, size=PAGE_SIZE, stats=None):
    """Page `number` (clamped to the pages there are) of a chronological selection;
    `stats` ({"total", "first", "last"} of its starts) when already known."""
    if stats is None:
        stats = selection.aggregate(
            total=Count("pk"), first=Min("starts_on"), last=Max("starts_on")
        )
    total = stats["total"]
    count = max(1, -(-total // size))
    number = min(requested_page(number), count)
    span = 0
    if total:
        span = (
            (stats["last"].year - stats["first"].year) * 12
            + stats["last"].month
            - stats["first"].month
        )
    events = list(selection.chronological()[(number - 1) * size : number * size])
    return Page(events, number, count, total, by_year=span > YEAR_GROUPS_FROM_MONTHS)
