"""The event list's date filter on the desk: the periods an event's interval
overlaps, named as readers see dates — a year, then its months, then a month's early,
middle and late part. "Oktober 2024" is found under October and each of its parts,
"2024" under every month of 2024, a day only where it lies. (Django's date drill-down
showed a fuzzy start as if it were an exact day.)"""

import datetime as dt

from django.contrib import admin
from django.db.models import Count, Max, Min
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .dates import MONTH_PARTS, PART_FIRST_DAY, FuzzyDate, Precision
from .periods import PART_NAMES, named_period, overlapping, value_of

BATCH = 500  # periods counted in one query (events from year 1000 to 2999 make 2,000)


class PeriodFilter(admin.SimpleListFilter):
    title = _("period")
    parameter_name = "period"

    def lookups(self, request, model_admin):
        events = model_admin.get_queryset(request)
        chosen = named_period(self.value()) if self.value() else None
        span = events.aggregate(first=Min("starts_on"), last=Max("ends_on"))
        if span["first"] is None:
            return []
        periods = [FuzzyDate(dt.date(year, 1, 1), Precision.YEAR)
                   for year in range(span["first"].year, span["last"].year + 1)]  # fmt: skip
        if chosen is not None:
            year = chosen.start.year
            periods += [FuzzyDate(dt.date(year, month, 1), Precision.MONTH)
                        for month in range(1, 13)]  # fmt: skip
            if chosen.precision == Precision.MONTH or chosen.precision in MONTH_PARTS:
                first = chosen.start.replace(day=1)
                periods += [FuzzyDate(first.replace(day=PART_FIRST_DAY[part]), part)
                            for part in PART_NAMES]  # fmt: skip
        # One query counts the events of every period: those without any are left out.
        # (The admin's "show counts" shows the numbers.)
        periods.sort(key=lambda date: (date.start, len(value_of(date))))  # year, month, part
        counts = {}
        for at in range(0, len(periods), BATCH):  # a column a period; SQLite takes 2,000
            batch = enumerate(periods[at : at + BATCH], start=at)
            counts |= events.aggregate(
                **{f"p{n}": Count("pk", filter=overlapping(date)) for n, date in batch}
            )
        language = get_language()
        return [
            (value_of(date), date.label(language))
            for n, date in enumerate(periods)
            if counts[f"p{n}"]
        ]

    def queryset(self, request, queryset):
        date = named_period(self.value()) if self.value() else None
        return queryset.filter(overlapping(date)) if date else queryset
