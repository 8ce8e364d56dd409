import datetime as dt

import django_filters
from django.utils.translation import gettext_lazy as _

from ..dates import PRECISION_LABELS
from ..models import Event, Status


class EventFilter(django_filters.FilterSet):
    timeline = django_filters.CharFilter(field_name="timeline__slug")
    tag = django_filters.CharFilter(field_name="tags__slug")
    person = django_filters.CharFilter(field_name="people__slug")
    place = django_filters.CharFilter(field_name="place__slug")
    status = django_filters.ChoiceFilter(choices=Status.choices)
    precision = django_filters.ChoiceFilter(
        choices=[(p.value, label) for p, label in PRECISION_LABELS.items()]
    )
    from_ = django_filters.DateFilter(
        field_name="ends_on", lookup_expr="gte", label=_("Events whose interval ends on or after")
    )
    to = django_filters.DateFilter(
        field_name="starts_on",
        lookup_expr="lte",
        label=_("Events whose interval starts on or before"),
    )
    q = django_filters.CharFilter(method="search", label=_("Every word occurs in the event"))
    updated_since = django_filters.IsoDateTimeFilter(
        method="changed_since", label=_("Events changed at or after this time (ISO 8601)")
    )

    class Meta:
        model = Event
        fields = []

    def search(self, queryset, name, value):
        return queryset.matching(value)

    def changed_since(self, queryset, name, value):
        # In UTC: databases refuse offsets such as +18:41 that ISO 8601 allows.
        try:
            moment = value.astimezone(dt.UTC)
        except OverflowError:  # before year 1 in UTC every event is newer; after 9999, none
            return queryset if value.year == 1 else queryset.none()
        return queryset.filter(updated_at__gte=moment)


# "from" is a Python keyword: declared as from_, offered as ?from=.
EventFilter.base_filters["from"] = EventFilter.base_filters.pop("from_")
