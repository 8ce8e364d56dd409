"""Places, people and tags: shared by the events of every timeline."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..validators import validate_iana_zone, validate_text
from .managers import SlugManager


class Place(models.Model):
    name = models.CharField(_("name"), max_length=200, validators=[validate_text])
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    country = models.CharField(
        _("country"), max_length=100, blank=True, validators=[validate_text]
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        validators=[validate_iana_zone],
        help_text=_(
            "IANA time zone of the place, e.g. Europe/Rome: then “13:30 Uhr (Rom)” in "
            "an event's date means 13:30 there."
        ),
    )

    objects = SlugManager()

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "country"], name="place_unique_name"),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__range=(-90, 90), longitude__range=(-180, 180)),
                name="place_coordinates_in_range",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.country})" if self.country else self.name

    def natural_key(self):
        return (self.slug,)

    def clean(self):
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError(_("Give both latitude and longitude, or neither."))

    def name_for(self, zone):
        """How a time in `zone` names this place: by its name, unless the place is known
        to lie in another zone ("13:30 Uhr (Rom)" is no New York time)."""
        return self.name if self.time_zone in ("", zone) else ""

    @property
    def has_coordinates(self):
        return self.latitude is not None


class Person(models.Model):
    name = models.CharField(_("name"), max_length=200, validators=[validate_text])
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    role = models.CharField(_("role"), max_length=200, blank=True, validators=[validate_text])
    organisation = models.CharField(
        _("organisation"), max_length=200, blank=True, validators=[validate_text]
    )

    objects = SlugManager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True, validators=[validate_text])
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    objects = SlugManager()

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)
