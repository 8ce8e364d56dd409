from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def machine_time(value):
    """An aware datetime as an HTML `datetime` value: local time, whole seconds, offset."""
    if not value:
        return ""
    return timezone.localtime(value).replace(microsecond=0).isoformat()
