"""API views: thin; selection on the QuerySet, rules on the model."""

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.cache import quote_etag
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, NotFound, ParseError
from rest_framework.filters import OrderingFilter
from rest_framework.generics import get_object_or_404 as get_valid_or_404
from rest_framework.pagination import CursorPagination, PageNumberPagination
from rest_framework.response import Response

from ..changes import record_change
from ..http import etag_matches
from ..models import PUBLIC_STATUSES, Event, Status, Timeline
from .filters import EventFilter
from .permissions import EditorsWrite
from .serializers import (
    CorrectionWriteSerializer,
    EventSerializer,
    EventWriteSerializer,
    RetractSerializer,
    RevisionSerializer,
    TimelineSerializer,
)  # fmt: skip

ONLY_PUBLISHED = _("Only a published event can be retracted.")
ONLY_PUBLIC = _("Only a published or retracted event can be corrected.")


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _(
        "The event has changed since you read it; reload and apply your change again."
    )
    default_code = "precondition_failed"


class EventPages(CursorPagination):
    """Cursor pages stay fast however deep a client reads into 10,000 events."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    ordering = ("starts_on", "ends_on", "uuid")

    def decode_cursor(self, request):
        """A cursor whose position is no value of the field it orders by (tampered
        with: `p=garbage`, `p=2024-13-45`) is as invalid as one that does not decode."""
        cursor = super().decode_cursor(request)
        if cursor is not None and cursor.position is not None:
            field = Event._meta.get_field(self.ordering[0].lstrip("-"))
            try:
                field.to_python(cursor.position)
            except ValidationError:
                raise NotFound(self.invalid_cursor_message) from None
        return cursor

    def get_page_size(self, request):
        """A page_size that is no whole number from 1 is refused, as the schema says
        (DRF would quietly use 50); above max_page_size it is capped."""
        value = request.query_params.get(self.page_size_query_param, "")
        if value == "":
            return self.page_size
        if not (value.isascii() and value.isdigit() and int(value) >= 1):
            raise ParseError({self.page_size_query_param: ["A whole number from 1 is needed."]})
        return min(int(value), self.max_page_size)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["minimum"] = 1
        return parameters


class TimelinePages(PageNumberPagination):
    page_size = 50


def event_etag(event):
    return quote_etag(f"{event.uuid}.{event.revision}.{event.updated_at.timestamp():.6f}")


class TimelineViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = TimelineSerializer
    lookup_field = "slug"
    pagination_class = TimelinePages

    def get_queryset(self):
        return Timeline.objects.visible_to(self.request.user).order_by("title")

    @extend_schema(
        responses=EventSerializer, description=_("One event of this timeline, by its slug.")
    )
    @action(detail=True, url_path=r"events/(?P<event_slug>[-\w]+)")
    def event(self, request, slug, event_slug):
        """One event of this timeline, by its slug."""
        events = Event.objects.visible_to(request.user).with_details()
        event = get_object_or_404(events, timeline__slug=slug, slug=event_slug)
        serializer = EventSerializer(event, context=self.get_serializer_context())
        return Response(serializer.data, headers={"ETag": event_etag(event)})


@extend_schema(
    parameters=[
        OpenApiParameter(
            "If-Match",
            str,
            OpenApiParameter.HEADER,
            required=False,
            description="ETag of the event as read; a stale one gives 412.",
        ),
    ]
)
# A write answers with the event as it is read (EventWriteSerializer.to_representation).
@extend_schema_view(
    create=extend_schema(responses={201: EventSerializer}),
    update=extend_schema(responses=EventSerializer),
    partial_update=extend_schema(responses=EventSerializer),
)
class EventViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    lookup_field = "uuid"
    permission_classes = [EditorsWrite]
    pagination_class = EventPages
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    filterset_class = EventFilter
    ordering_fields = ["starts_on", "updated_at", "first_published_at"]

    def get_queryset(self):
        return Event.objects.visible_to(self.request.user).with_details()

    def get_serializer_class(self):
        if self.action in {"create", "update", "partial_update"}:
            return EventWriteSerializer
        return EventSerializer

    def retrieve(self, request, *args, **kwargs):
        event = self.get_object()
        return Response(self.get_serializer(event).data, headers={"ETag": event_etag(event)})

    def perform_create(self, serializer):
        with record_change():
            serializer.save()

    def update(self, request, *args, **kwargs):
        with record_change():
            event = self.locked(kwargs["uuid"])
            self.check_precondition(request, event)
            serializer = self.get_serializer(
                event, data=request.data, partial=kwargs.get("partial", False)
            )
            serializer.is_valid(raise_exception=True)
            serializer.save()
        event.refresh_from_db()
        return Response(serializer.data, headers={"ETag": event_etag(event)})

    @extend_schema(
        description=_("Retract a published event with a public reason; it stays visible, marked."),
        request=RetractSerializer,
        responses={
            200: EventSerializer,
            409: OpenApiResponse(description=ONLY_PUBLISHED),
        },
    )
    @action(detail=True, methods=["post"])
    def retract(self, request, uuid=None):
        """Retract a published event with a public reason; it stays visible, marked."""
        serializer = RetractSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with record_change():
            event = self.locked(uuid)
            self.check_precondition(request, event)
            if event.status != Status.PUBLISHED:
                return Response(
                    {"status": [ONLY_PUBLISHED]},
                    status=status.HTTP_409_CONFLICT,
                )
            event.retract(serializer.validated_data["reason"])
        return Response(EventSerializer(event, context=self.get_serializer_context()).data)

    @extend_schema(
        description=_(
            "Add a public correction to a published or retracted event; it shows on the "
            "event and in the changes feeds."
        ),
        request=CorrectionWriteSerializer,
        responses={
            201: EventSerializer,
            409: OpenApiResponse(description=ONLY_PUBLIC),
        },
    )
    @action(detail=True, methods=["post"])
    def corrections(self, request, uuid=None):
        """Add a public correction to a published or retracted event."""
        serializer = CorrectionWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with record_change():
            event = self.locked(uuid)
            self.check_precondition(request, event)
            if event.status not in PUBLIC_STATUSES:
                return Response({"status": [ONLY_PUBLIC]}, status=status.HTTP_409_CONFLICT)
            serializer.save(event=event)
        event = self.get_queryset().get(pk=event.pk)  # with the new correction and revision
        return Response(
            EventSerializer(event, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
            headers={"ETag": event_etag(event)},
        )

    @extend_schema(request=None, responses=EventSerializer, description=_("Publish a draft."))
    @action(detail=True, methods=["post"])
    def publish(self, request, uuid=None):
        """Publish a draft."""
        with record_change():
            event = self.locked(uuid)
            self.check_precondition(request, event)
            event.publish()
        return Response(EventSerializer(event, context=self.get_serializer_context()).data)

    def locked(self, uuid):
        """The event, locked for this transaction, after the permission checks. DRF's
        get_object_or_404: an address that is no UUID is a 404 too, not a 500."""
        event = get_valid_or_404(self.get_queryset().select_for_update(of=("self",)), uuid=uuid)
        self.check_object_permissions(self.request, event)
        return event

    def check_precondition(self, request, event):
        """Refuse a change based on an old reading: If-Match (compared strongly), or the
        revision sent, which must be an integer first (else 400, not 412)."""
        sent = RevisionSerializer(data=request.data if isinstance(request.data, Mapping) else {})
        sent.is_valid(raise_exception=True)
        revision = sent.validated_data.get("revision")
        if_match = request.headers.get("If-Match")
        if if_match is not None and not etag_matches(if_match, event_etag(event), strong=True):
            raise PreconditionFailed()
        if revision is not None and revision != event.revision:
            raise PreconditionFailed()
