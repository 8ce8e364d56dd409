import uuid

from django.db import models
from django.db.models import Count, F, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..editors import is_editor
from ..validators import text_rules, validate_iana_zone, validate_text
from .managers import SlugManager
from .status import PUBLIC_STATUSES


class TimelineQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_public=True)

    def visible_to(self, user):
        return self if is_editor(user) else self.public()

    def by_activity(self):
        """Newest public activity first: the latest change of a public event."""
        return self.annotate(
            event_count=Count("events", filter=Q(events__status__in=PUBLIC_STATUSES)),
            last_activity=Max("events__updated_at", filter=Q(events__status__in=PUBLIC_STATUSES)),
        ).order_by(F("last_activity").desc(nulls_last=True), "title")


class TimelineManager(SlugManager.from_queryset(TimelineQuerySet)):
    pass


LANGUAGE_CHOICES = [("de", _("German")), ("en", _("English"))]


class Timeline(models.Model):
    title = models.CharField(_("title"), max_length=200, validators=[validate_text])
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.TextField(
        _("description"), max_length=5000, blank=True, validators=text_rules(5000)
    )
    language = models.CharField(
        _("content language"), max_length=2, choices=LANGUAGE_CHOICES, default="de"
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Europe/Berlin",
        validators=[validate_iana_zone],
        help_text=_("IANA time zone, e.g. Europe/Berlin."),
    )
    is_public = models.BooleanField(_("public"), default=False)
    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Grows with every change a reader could see (events.changes); exports key on it.
    version = models.PositiveBigIntegerField(_("version"), default=1, editable=False)
    changed_at = models.DateTimeField(_("content changed"), default=timezone.now, editable=False)

    objects = TimelineManager()

    class Meta:
        verbose_name = _("timeline")
        verbose_name_plural = _("timelines")
        ordering = ["title"]

    def __str__(self):
        return self.title

    def natural_key(self):
        return (self.slug,)

    def get_absolute_url(self):
        return reverse("timeline", args=[self.slug])

    def export_url(self, filename):
        """URL of this timeline in an export format, e.g. `feed.rss`."""
        return self.get_absolute_url() + filename
