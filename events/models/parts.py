"""What belongs to one event: quotes, sources, corrections."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..validators import text_rules, validate_text, validate_web_url
from .catalog import Person
from .event import Event
from .timeline import LANGUAGE_CHOICES


class Quote(models.Model):
    event = models.ForeignKey(
        Event, models.CASCADE, related_name="quotes", verbose_name=_("event")
    )
    speaker = models.ForeignKey(
        Person, models.PROTECT, related_name="quotes", verbose_name=_("speaker")
    )
    text = models.TextField(_("verbatim text"), max_length=10_000, validators=text_rules(10_000))
    language = models.CharField(
        _("language"), max_length=2, choices=LANGUAGE_CHOICES, default="de"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    occasion = models.CharField(
        _("occasion"),
        max_length=300,
        blank=True,
        validators=[validate_text],
        help_text=_("Where it was said, e.g. a briefing, an interview, a press conference."),
    )
    url = models.URLField(
        _("source of the quote"),
        max_length=2000,
        blank=True,
        validators=[validate_web_url],
        help_text=_("Where the words can be read or heard (optional)."),
    )

    class Meta:
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        ordering = ["position", "id"]

    def __str__(self):
        return f"{self.speaker}: {self.text[:60]}"


class Source(models.Model):
    event = models.ForeignKey(
        Event, models.CASCADE, related_name="sources", verbose_name=_("event")
    )
    url = models.URLField(_("URL"), max_length=2000, validators=[validate_web_url])
    title = models.CharField(_("title"), max_length=300, validators=[validate_text])
    publisher = models.CharField(
        _("publisher"), max_length=200, blank=True, validators=[validate_text]
    )
    accessed_on = models.DateField(_("accessed on"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["position", "id"]

    def __str__(self):
        return self.title

    @property
    def web_url(self):
        """The URL if it is http(s) — validation ensures it; templates rely on this too."""
        return self.url if self.url.lower().startswith(("http://", "https://")) else ""


class Correction(models.Model):
    event = models.ForeignKey(
        Event, models.CASCADE, related_name="corrections", verbose_name=_("event")
    )
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    text = models.TextField(_("public text"), max_length=5000, validators=text_rules(5000))

    class Meta:
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        ordering = ["published_at", "id"]

    def __str__(self):
        return self.text[:60]
