from zoneinfo import ZoneInfo

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language

from ..dates import FuzzyDate, FuzzyDateError, Precision

register = template.Library()


@register.filter
def machine_time(value):
    """An aware datetime as an HTML `datetime` value: local time, whole seconds, offset."""
    if not value:
        return ""
    return timezone.localtime(value).replace(microsecond=0).isoformat()


@register.filter
def reader_day(value):
    """A day as the page's language says dates: "23. Oktober 2024", "23 October 2024"
    (the same words as event dates, not Django's "Oct. 23, 2024")."""
    if not value:
        return ""
    try:
        return FuzzyDate(value, Precision.DAY).label(get_language())
    except FuzzyDateError:  # a year fuzzy dates do not take (a typo: 3024): as Django says it
        return date_format(value, "DATE_FORMAT")


@register.filter
def reader_moment(value, zone=""):
    """A moment, in `zone` (the timeline's) and naming it: "23. Oktober 2024, 23:00 Uhr
    (Berlin)", "23 October 2024, 23:00 (Berlin)"."""
    if not value:
        return ""
    zone = zone or timezone.get_current_timezone_name()
    local = value.astimezone(ZoneInfo(zone))
    try:
        moment = FuzzyDate(local.date(), Precision.TIME, zone=zone,
                           time=local.time().replace(second=0, microsecond=0))  # fmt: skip
        return moment.label(get_language())
    except FuzzyDateError:  # a year fuzzy dates do not take: as Django says it
        return date_format(local, "DATETIME_FORMAT")
