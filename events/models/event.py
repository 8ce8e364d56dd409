import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q, Window
from django.db.models.functions import FirstValue, Lag, Lead, RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .. import search
from ..dates import (
    APPROXIMATE,
    PRECISION_LABELS,
    PRECISIONS,
    FuzzyDate,
    FuzzyDateError,
    Precision,
)
from ..editors import is_editor
from ..validators import text_rules, validate_text
from ..when import normalized_end, normalized_start
from .catalog import Person, Place, Tag
from .loading import is_loading_data
from .parts_query import PARTS, with_parts
from .status import PUBLIC_STATUSES, Status
from .timeline import Timeline

# Mirrors dates.FuzzyDate.sort_key, with the UUID as the final, stable tie-break.
CHRONOLOGICAL = ("starts_on", "ends_on", F("starts_at").asc(nulls_first=True), "uuid")


class EventQuerySet(models.QuerySet):
    def public(self):
        """What readers may see: published or retracted events of public timelines."""
        return self.filter(status__in=PUBLIC_STATUSES, timeline__is_public=True)

    def for_timeline(self, timeline):
        return self.filter(timeline=timeline)

    def chronological(self):
        return self.order_by(*Event.CHRONOLOGICAL)

    def visible_to(self, user):
        """Public events; editors also see drafts and non-public timelines (as a preview)."""
        return self if is_editor(user) else self.public()

    def matching(self, query):
        """Events whose search document contains every word of `query`."""
        selection = self
        for word in search.query_words(query):
            selection = selection.filter(search_text__contains=word)
        return selection

    def position(self, event):
        """`event`'s place in chronological order among these, from 1 (or None)."""
        ordered = self.annotate(
            number=Window(RowNumber(), order_by=Event.CHRONOLOGICAL),
            row_pk=Window(FirstValue("pk"), partition_by=[F("pk")]),  # as in neighbours
        )
        return ordered.filter(row_pk=event.pk).values_list("number", flat=True).first()

    def neighbours(self, event):
        """The events just before and after `event` in chronological order (or None)."""
        ordered = self.annotate(
            previous_id=Window(Lag("pk"), order_by=Event.CHRONOLOGICAL),
            next_id=Window(Lead("pk"), order_by=Event.CHRONOLOGICAL),
            # A window value, so that filtering by it happens after the windows are
            # computed over the whole selection, not before.
            row_pk=Window(FirstValue("pk"), partition_by=[F("pk")]),
        )
        ids = ordered.filter(row_pk=event.pk).values_list("previous_id", "next_id").first()
        if ids is None:
            return None, None
        found = self.select_related("timeline", "place").in_bulk([pk for pk in ids if pk])
        return found.get(ids[0]), found.get(ids[1])

    def with_details(self):
        """Everything an event page or an export shows, in one query (`details`)."""
        return with_parts(self, PARTS)

    def with_summaries(self):
        """What a list of events shows (place, people, tags, quotes with speakers)."""
        return with_parts(self, ["people", "tags", "quotes"])


class EventManager(models.Manager.from_queryset(EventQuerySet)):
    def get_by_natural_key(self, uuid):
        return self.get(uuid=uuid)


PRECISION_CHOICES = [(p.value, label) for p, label in PRECISION_LABELS.items()]

# Fields whose change makes a new revision of a published event.
TRACKED_FIELDS = (
    "timeline_id", "title", "slug", "summary", "body", "start_date", "end_date",
    "precision", "start_time", "end_time", "time_zone", "place_id", "status",
    "retraction_reason",
)  # fmt: skip
# What dates an event: a change of any of them re-dates it.
DATE_FIELDS = ("start_date", "end_date", "precision", "start_time", "end_time", "time_zone")


class Event(models.Model):
    timeline = models.ForeignKey(
        Timeline, models.PROTECT, related_name="events", verbose_name=_("timeline")
    )
    title = models.CharField(_("title"), max_length=300, validators=[validate_text])
    slug = models.SlugField(_("slug"), max_length=120)
    summary = models.TextField(
        _("summary"), max_length=2000, blank=True, validators=text_rules(2000)
    )
    body = models.TextField(
        _("body"),
        max_length=100_000,
        blank=True,
        validators=text_rules(100_000),
        help_text=_("Markdown."),
    )

    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    precision = models.CharField(
        _("precision"), max_length=12, choices=PRECISION_CHOICES, default=Precision.DAY
    )
    start_time = models.TimeField(_("time"), null=True, blank=True)
    end_time = models.TimeField(_("end time"), null=True, blank=True)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        help_text=_("IANA time zone of the time, e.g. America/New_York. Only with an exact time."),
    )
    # The interval the fuzzy date covers, derived on save: for sorting and filtering.
    starts_on = models.DateField(_("first day"), editable=False, db_index=True)
    ends_on = models.DateField(_("last day"), editable=False)
    starts_at = models.DateTimeField(_("starts at"), null=True, editable=False)
    search_text = models.TextField(editable=False, blank=True, default="")

    place = models.ForeignKey(
        Place,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("place"),
    )
    people = models.ManyToManyField(
        Person, blank=True, related_name="events", verbose_name=_("people")
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="events", verbose_name=_("tags"))

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    retraction_reason = models.TextField(
        _("reason for retraction"), blank=True, max_length=2000, validators=text_rules(2000)
    )
    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    external_uid = models.CharField(
        _("imported from UID"),
        max_length=500,
        blank=True,
        editable=False,
        db_index=True,
        help_text=_("The UID of the calendar entry this event was imported from."),
    )
    publish_at = models.DateTimeField(
        _("publish at"),
        null=True,
        blank=True,
        help_text=_(
            "A draft with this moment set is published then, in every output, without "
            "anyone saving (an embargo). Empty: published by hand."
        ),
    )
    revision = models.PositiveIntegerField(_("revision"), default=1, editable=False)
    first_published_at = models.DateTimeField(
        _("first published"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False)

    objects = EventManager()

    CHRONOLOGICAL = CHRONOLOGICAL

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = list(CHRONOLOGICAL)
        constraints = [
            models.UniqueConstraint(fields=["timeline", "slug"], name="event_unique_slug"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="event_end_not_before_start",
            ),
            models.CheckConstraint(
                condition=Q(precision__in=[p.value for p in Precision]),
                name="event_precision_known",
            ),
            models.CheckConstraint(
                condition=Q(precision=Precision.TIME, start_time__isnull=False) & ~Q(time_zone="")
                | ~Q(precision=Precision.TIME)
                & Q(start_time__isnull=True, end_time__isnull=True, time_zone=""),
                name="event_time_only_with_precision_time",
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="event_status_known"
            ),
            models.CheckConstraint(
                condition=Q(status=Status.DRAFT, first_published_at__isnull=True)
                | Q(status__in=PUBLIC_STATUSES, first_published_at__isnull=False),
                name="event_published_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.RETRACTED) | ~Q(retraction_reason=""),
                name="event_retraction_has_reason",
            ),
            models.CheckConstraint(condition=Q(revision__gte=1), name="event_revision_positive"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="event_interval_ordered"
            ),
        ]
        indexes = [
            models.Index(fields=["timeline", "starts_on", "ends_on"]),
            # Feeds list the newest publications first.
            models.Index(fields=["timeline", "-first_published_at"], name="event_newest_first"),
            # A timeline page counts its public events and finds their first and last
            # day from this index alone, without reading 10,000 rows.
            models.Index(fields=["timeline", "status", "starts_on"], name="event_public_days"),
            # Drafts waiting for their embargo, found on every request (events.embargo).
            models.Index(fields=["status", "publish_at"], name="event_embargo"),
        ]

    def __str__(self):
        return self.title

    def natural_key(self):
        return (str(self.uuid),)

    def get_absolute_url(self):
        return reverse("event", args=[self.timeline.slug, self.slug])

    def export_url(self, filename_suffix):
        """URL of this event in an export format, e.g. `.ics`."""
        return reverse("timeline", args=[self.timeline.slug]) + self.slug + filename_suffix

    # -- the fuzzy date -------------------------------------------------------------

    @property
    def fuzzy_date(self):
        return FuzzyDate(
            start=self.start_date,
            precision=self.precision,
            end=self.end_date,
            time=self.start_time,
            end_time=self.end_time,
            zone=self.time_zone,
        )

    def date_label(self, language=None):
        return self.fuzzy_date.label(
            language or get_language() or settings.LANGUAGE_CODE,
            home_zone=self.timeline.time_zone,
            place_name=self.place.name_for(self.time_zone) if self.place_id else "",
        )

    date_label.short_description = _("date")

    @property
    def is_public(self):
        return self.status in PUBLIC_STATUSES and self.timeline.is_public

    @property
    def is_approximate(self):
        """Known only to a part of a month, a month or a year: a period, not a day."""
        return self.precision in APPROXIMATE

    @property
    def is_retracted(self):
        return self.status == Status.RETRACTED

    # -- validation -----------------------------------------------------------------

    FIELD_OF_DATE_PART = {
        "start": "start_date",
        "end": "end_date",
        "time": "start_time",
        "end_time": "end_time",
        "zone": "time_zone",
    }

    def clean(self):
        errors = {}
        # The row as it is stored, read once for the rules that compare with it.
        was = (
            self.pk and Event.objects.filter(pk=self.pk).values("status", "publish_at").first()
        ) or {}
        if self.start_date is not None and self.precision in PRECISIONS:
            try:
                self.set_interval()
            except FuzzyDateError as error:
                errors[self.FIELD_OF_DATE_PART[error.field]] = error.message
            except (TypeError, AttributeError):
                pass  # a date or time that did not parse: its field error says so
        if self.status == Status.RETRACTED and not self.retraction_reason.strip():
            errors["retraction_reason"] = _("A retracted event needs a public reason.")
        if self.publish_at is not None and self.status != Status.DRAFT:
            self.publish_at = None  # published already: nothing left to schedule
        elif (
            self.publish_at is not None
            and self.publish_at < timezone.now()
            and was.get("publish_at") != self.publish_at
        ):  # set now, not one that came due
            errors["publish_at"] = _("A scheduled moment must lie in the future.")
        if self.status == Status.DRAFT and was.get("status") in PUBLIC_STATUSES:
            errors["status"] = _("A published event cannot go back to draft; retract it instead.")
        if errors:
            raise ValidationError(errors)

    # -- saving ---------------------------------------------------------------------

    def set_interval(self):
        """Store the interval of the fuzzy date beside it, for sorting and filtering.
        A month part, month or year is stored from its first day, whatever day of it
        the editor gave: the day says nothing (`events.when.normalized_start`)."""
        if self.start_date is not None and self.precision in PRECISIONS:
            self.start_date = normalized_start(self.start_date, self.precision)
            self.end_date = normalized_end(self.end_date, self.precision)
        interval = self.fuzzy_date.interval
        self.starts_on, self.ends_on = interval.first_day, interval.last_day
        self.starts_at = interval.start

    def save(self, *args, **kwargs):
        """Revision, `updated_at` and search document follow from the record of change
        (`events.changes`), once per change, however many rows it writes."""
        self.set_interval()
        if self.status != Status.DRAFT and self.first_published_at is None:
            self.first_published_at = timezone.now()
        super().save(*args, **kwargs)

    def keep_lifecycle(self):
        """Before a raw save (a restore from history, a fixture): a restore brings back
        what an event *said*, never where it stands in its life. The status, UUID and
        first publication stay as they are now, and so does the revision, which the
        record of change then moves forward (calendar apps ignore an update whose
        SEQUENCE goes down)."""
        self.set_interval()
        if is_loading_data():
            return
        lifecycle = ("revision", "status", "retraction_reason", "uuid", "first_published_at",
                     "publish_at", "created_at", "updated_at", "search_text")  # fmt: skip
        current = Event.objects.filter(pk=self.pk).values(*lifecycle).first()
        if current is not None:
            for field, value in current.items():
                setattr(self, field, value)

    @transaction.atomic
    def publish(self):
        if self.status == Status.DRAFT:
            self.status = Status.PUBLISHED
            self.publish_at = None
            self.save()

    @transaction.atomic
    def retract(self, reason):
        self.status = Status.RETRACTED
        self.retraction_reason = reason
        self.full_clean()
        self.save()
