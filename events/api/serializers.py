"""Read: one event with everything about it. Write: the event's own fields, with place,
people and tags by slug; the model's validation decides, so the API and the admin say
the same things."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .. import when
from ..models import Correction, Event, Person, Place, Quote, Source, Tag, Timeline
from ..validators import validate_text

MAX_RELATED = 100  # people or tags of one event: each is a lookup (20,000 took 6 s)


class PlaceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Place
        fields = ["slug", "name", "country", "latitude", "longitude", "time_zone"]


class PersonSerializer(serializers.ModelSerializer):
    class Meta:
        model = Person
        fields = ["slug", "name", "role", "organisation"]


class TagSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tag
        fields = ["slug", "name"]


class QuoteSerializer(serializers.ModelSerializer):
    speaker = PersonSerializer()

    class Meta:
        model = Quote
        fields = ["speaker", "text", "language", "occasion", "url"]


class SourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["url", "title", "publisher", "accessed_on"]


class CorrectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Correction
        fields = ["published_at", "text"]


class IntervalSerializer(serializers.Serializer):
    first_day = serializers.DateField()
    last_day = serializers.DateField()
    start = serializers.DateTimeField(allow_null=True)
    end = serializers.DateTimeField(allow_null=True)


class FuzzyDateSerializer(serializers.Serializer):
    start = serializers.DateField(source="start_date")
    end = serializers.DateField(source="end_date", allow_null=True)
    precision = serializers.CharField()
    time = serializers.TimeField(source="start_time", allow_null=True)
    end_time = serializers.TimeField(allow_null=True)
    time_zone = serializers.CharField()
    label = serializers.SerializerMethodField()
    interval = serializers.SerializerMethodField()

    def get_label(self, event) -> str:
        return event.date_label(get_language())

    @extend_schema_field(IntervalSerializer)
    def get_interval(self, event):
        return IntervalSerializer(event.fuzzy_date.interval).data


class TimelineSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Timeline
        fields = ["uuid", "slug", "title", "description", "language", "time_zone", "url"]

    def get_url(self, timeline) -> str:
        return self.context["request"].build_absolute_uri(timeline.get_absolute_url())


class EventSerializer(serializers.ModelSerializer):
    """An event as readers and other programs see it."""

    timeline = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    date = FuzzyDateSerializer(source="*", read_only=True)
    place = PlaceSerializer(read_only=True, allow_null=True)
    people = PersonSerializer(many=True, read_only=True)
    tags = TagSerializer(many=True, read_only=True)
    quotes = QuoteSerializer(many=True, read_only=True)
    sources = SourceSerializer(many=True, read_only=True)
    corrections = CorrectionSerializer(many=True, read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = [
            "uuid", "timeline", "slug", "title", "summary", "body", "date", "place", "people",
            "tags", "quotes", "sources", "corrections", "status", "publish_at",
            "retraction_reason", "revision", "first_published_at", "updated_at", "url",
        ]  # fmt: skip
        read_only_fields = fields

    def get_url(self, event) -> str:
        return self.context["request"].build_absolute_uri(event.get_absolute_url())


class Text(serializers.CharField):
    """A string, and only a string: DRF's CharField also takes 12 or 1.5 and saves
    "12", which the schema (`type: string`) says is refused."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class Slug(serializers.SlugRelatedField):
    """A timeline, place, person or tag by its slug. A NUL byte is refused before the
    lookup: PostgreSQL cannot even compare text with one."""

    default_error_messages = {"null": _("Null characters are not allowed.")}

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            self.fail("null")
        return super().to_internal_value(data)


class Slugs(serializers.ManyRelatedField):
    """Several of them, at most MAX_RELATED, counted before any is looked up."""

    default_error_messages = {
        "max_length": _("Ensure this field has no more than {max_length} elements.")
    }

    def __init__(self, queryset, **kwargs):
        super().__init__(Slug(slug_field="slug", queryset=queryset), **kwargs)

    def to_internal_value(self, data):
        if isinstance(data, list) and len(data) > MAX_RELATED:
            self.fail("max_length", max_length=MAX_RELATED)
        return super().to_internal_value(data)


class EventWriteSerializer(serializers.ModelSerializer):
    """What an editor sends to create or change an event."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: Text,
        models.TextField: Text,
    }
    timeline = Slug(slug_field="slug", queryset=Timeline.objects.all())
    place = Slug(slug_field="slug", queryset=Place.objects.all(), allow_null=True, required=False)
    people = Slugs(Person.objects.all(), required=False)
    tags = Slugs(Tag.objects.all(), required=False)
    revision = serializers.IntegerField(
        required=False,
        write_only=True,
        help_text=_("The revision the change is based on; a stale one is refused with 412."),
    )
    when = Text(
        required=False,
        write_only=True,
        max_length=200,
        help_text=_(
            "The date as a newsroom writes it, in German or English: 'Ende Oktober 2024', "
            "'mid-October 2024', '23.10.2024, 13:30 Uhr (America/New_York)', "
            "'1.–10. Oktober 2024', '23.10.2024, 11:00 Uhr (Rom)' for a place with a time "
            "zone. Sets start_date, end_date, precision, start_time, end_time and time_zone; "
            "a time without a zone is in the timeline's."
        ),
    )

    class Meta:
        model = Event
        fields = [
            "timeline", "slug", "title", "summary", "body", "when", "start_date", "end_date",
            "precision", "start_time", "end_time", "time_zone", "place", "people", "tags",
            "publish_at", "revision",
        ]  # fmt: skip
        extra_kwargs = {"start_date": {"required": False}}

    def validate(self, attrs):
        """Read `when`, then run the model's own rules (fuzzy date, lengths, control
        characters)."""
        attrs.pop("revision", None)
        if "when" in attrs:
            attrs.update(self._read_when(attrs.pop("when"), attrs))
        elif self.instance is None and "start_date" not in attrs:
            raise serializers.ValidationError({"when": [when.missing().message]})
        relations = {key: attrs[key] for key in ("people", "tags") if key in attrs}
        plain = {k: v for k, v in attrs.items() if k not in relations}
        event = self.instance or Event()
        for field, value in plain.items():
            setattr(event, field, value)
        try:
            event.full_clean(validate_unique=True, validate_constraints=True)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from error
        return attrs

    def _read_when(self, text, attrs):
        timeline = attrs.get("timeline") or getattr(self.instance, "timeline", None)
        try:
            return when.read_for(text, timeline)
        except when.WhenError as error:
            raise serializers.ValidationError({"when": [error.message]}) from error

    def to_representation(self, instance):
        return EventSerializer(instance, context=self.context).data


class RetractSerializer(serializers.Serializer):
    reason = Text(max_length=2000, validators=[validate_text])


class CorrectionWriteSerializer(serializers.ModelSerializer):
    """A correction an editor adds to a public event; the model's rules decide (length,
    control characters), as in the admin's inline."""

    serializer_field_mapping = EventWriteSerializer.serializer_field_mapping
    revision = serializers.IntegerField(
        required=False,
        write_only=True,
        help_text=_("The revision the change is based on; a stale one is refused with 412."),
    )

    class Meta:
        model = Correction
        fields = ["text", "published_at", "revision"]
        extra_kwargs = {
            "published_at": {"help_text": _("ISO 8601; now if not given.")},
        }

    def validate(self, attrs):
        attrs.pop("revision", None)
        try:
            Correction(**attrs).full_clean(exclude=["event"])
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from error
        return attrs


class RevisionSerializer(serializers.Serializer):
    """The revision a change is based on, read before the change itself."""

    revision = serializers.IntegerField(required=False)
