"""The editors' desk.

Every model is versioned by django-reversion (VersionAdmin): editors browse an
event's history and restore a version together with its quotes, sources and
corrections. Published events are retracted, never deleted.
"""

import json

import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import PermissionDenied
from django.core.validators import URLValidator
from django.db import models, transaction
from django.db.models import Count
from django.http import Http404, JsonResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html_join
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _
from reversion.admin import VersionAdmin

from . import new_entries, when
from .changes import record_change
from .desk_filters import PeriodFilter
from .ics_import import CalendarImportError, import_calendar, read_file, read_url
from .models import Correction, Event, Person, Place, Quote, Source, Status, Tag, Timeline
from .slugs import free_slug
from .validators import validate_text

admin.site.site_header = admin.site.site_title = _("newsroom · desk")
# No app list beside every page: the desk has five lists, one click away under "Home",
# and the 240 px it took are what the event list needs to show each event on one line.
admin.site.enable_nav_sidebar = False


class CalendarAddressField(forms.URLField):
    default_validators = [URLValidator(schemes=["http", "https", "webcal"])]


class CalendarImportForm(forms.Form):
    file = forms.FileField(label=_("Calendar file (.ics)"), required=False)
    url = CalendarAddressField(label=_("or its address"), required=False, assume_scheme="https")

    def clean(self):
        data = super().clean()
        if not data.get("file") and not data.get("url"):
            raise forms.ValidationError(_("Choose a file or give an address."))
        return data


def recorded(view):
    """A view whose POST (a form with its inlines, an action, a delete, a restore) is
    one change of content (`events.changes`); reading it opens no transaction."""

    def wrapped(self, request, *args, **kwargs):
        if request.method != "POST":
            return view(self, request, *args, **kwargs)
        with record_change():
            return view(self, request, *args, **kwargs)

    return wrapped


class DeskAdmin(VersionAdmin):
    """Every model of the desk is versioned, and every write is recorded."""

    changeform_view = recorded(VersionAdmin.changeform_view)
    changelist_view = recorded(VersionAdmin.changelist_view)  # actions, list edits
    delete_view = recorded(VersionAdmin.delete_view)
    revision_view = recorded(VersionAdmin.revision_view)  # restore from history
    recover_view = recorded(VersionAdmin.recover_view)


@admin.register(Timeline)
class TimelineAdmin(DeskAdmin):
    list_display = ("title", "language", "is_public", "event_count", "public_links")
    list_filter = ("is_public", "language")
    search_fields = ("title", "description")
    prepopulated_fields = {"slug": ("title",)}
    actions = ("import_calendar",)

    def changelist_view(self, request, extra_context=None):
        # The calendar import writes in a short transaction of its own, once the calendar
        # is downloaded and checked; a transaction around the download would keep every
        # other writer waiting (SQLite's write lock) for as long as it takes.
        importing = set(request.POST.getlist("action")) == {"import_calendar"}
        if request.method == "POST" and importing:
            return admin.ModelAdmin.changelist_view(self, request, extra_context)
        return super().changelist_view(request, extra_context)

    @admin.action(description=_("Import calendar entries as drafts"), permissions=["change"])
    def import_calendar(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Select exactly one timeline."), messages.WARNING)
            return None
        timeline = queryset.get()
        form = CalendarImportForm(
            request.POST if "apply" in request.POST else None, request.FILES or None
        )
        if form.is_bound and form.is_valid():
            try:
                upload = form.cleaned_data["file"]
                data = read_file(upload) if upload else read_url(form.cleaned_data["url"])
                report = import_calendar(timeline, data)
            except CalendarImportError as error:
                form.add_error(None, str(error))
            else:
                self.message_user(
                    request,
                    _("%(created)d drafts created, %(updated)d updated, %(kept)d left alone.")
                    % {
                        "created": len(report.created),
                        "updated": len(report.updated),
                        "kept": len(report.kept),
                    },
                    messages.SUCCESS,
                )
                return None
        return TemplateResponse(
            request,
            "admin/events/timeline/import_ics.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Import calendar entries into %(timeline)s") % {"timeline": timeline},
                "opts": self.model._meta,
                "timeline": timeline,
                "form": form,
            },
        )

    PUBLIC_LINKS = (
        (_("page"), ""),
        ("RSS", "feed.rss"),
        ("Atom", "feed.atom"),
        ("JSON", "feed.json"),
        (_("calendar"), "calendar.ics"),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_event_count=Count("events"))

    @admin.display(description=_("events"), ordering="_event_count")
    def event_count(self, timeline):
        return timeline._event_count

    @admin.display(description=_("public pages"))
    def public_links(self, timeline):
        base = timeline.get_absolute_url()
        return format_html_join(
            " · ",
            '<a href="{}">{}</a>',
            ((base + path, label) for label, path in self.PUBLIC_LINKS),
        )


@admin.register(Place)
class PlaceAdmin(DeskAdmin):
    list_display = ("name", "country", "time_zone", "latitude", "longitude")
    search_fields = ("name", "country")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Person)
class PersonAdmin(DeskAdmin):
    list_display = ("name", "role", "organisation")
    search_fields = ("name", "role", "organisation")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Tag)
class TagAdmin(DeskAdmin):
    list_display = ("name", "slug")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


# One labelled input and the browser's own picker for a moment (the admin's split
# date/time widget labels neither of its two inputs); in the server's zone.
DATETIME = {
    "form_class": forms.DateTimeField,
    "widget": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
}


class QuoteForm(forms.ModelForm):
    """A quote whose speaker may be new: named here, made when the form is saved."""

    new_speaker = forms.CharField(
        label=_("or a new speaker"),
        required=False,
        max_length=700,
        help_text=_("Name, role, organisation — e.g. “John Kirby, Sprecher, Weißes Haus”."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["speaker"].required = False  # a new speaker may stand for it

    def clean(self):
        cleaned = super().clean()
        text = (cleaned.get("new_speaker") or "").strip()
        if text:
            try:
                cleaned["new_speaker"] = new_entries.read_people(text)[0]
            except forms.ValidationError as error:
                self.add_error("new_speaker", error)
            else:
                if cleaned.get("speaker"):
                    self.add_error("new_speaker", _("Choose a speaker or name a new one."))
        elif not cleaned.get("speaker") and "speaker" not in self.errors:
            self.add_error("speaker", forms.Field.default_error_messages["required"])
        return cleaned

    def save(self, commit=True):
        if self.cleaned_data.get("new_speaker"):
            self.instance.speaker = new_entries.person_named(self.cleaned_data["new_speaker"])
        return super().save(commit)


class QuoteInline(admin.StackedInline):
    model = Quote
    form = QuoteForm
    extra = 0
    autocomplete_fields = ("speaker",)
    formfield_overrides = {
        models.URLField: {"assume_scheme": "https", "widget": forms.URLInput(attrs={"size": 60})}
    }
    fields = ("speaker", "new_speaker", "text", "language", "occasion", "url", "position")


class SourceInline(admin.StackedInline):
    """Stacked, with a plain address input: as a table with the admin's URL widget
    ("Currently: … Change: …") it made the form 1,666 px wide at 1280."""

    model = Source
    extra = 0
    formfield_overrides = {
        models.URLField: {"assume_scheme": "https", "widget": forms.URLInput(attrs={"size": 60})}
    }
    fields = ("url", "title", "publisher", "accessed_on", "position")


class CorrectionInline(admin.StackedInline):
    """Stacked like the others: the admin's table gives its first column an empty
    header, which screen readers announce as nothing."""

    model = Correction
    extra = 0
    formfield_overrides = {models.DateTimeField: DATETIME}
    fields = ("published_at", "text")


class RetractForm(forms.Form):
    reason = forms.CharField(
        label=_("Public reason for the retraction"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        validators=[validate_text],  # as on the model's field
    )


class EventForm(forms.ModelForm):
    """The event form with `when`: the date as the newsroom writes it, read by
    `events.when` into the structured date fields, which stay for precision work."""

    when = forms.CharField(
        label=_("When"),
        required=False,
        max_length=200,
        help_text=_(
            "As you would write it: “Ende Oktober 2024”, “mid-October 2024”, “1.–10. Oktober "
            "2024”, “23.10.2024, 13:30 Uhr (America/New_York)” or “… (Rom)” for a place with "
            "a time zone; a time without a zone is in the timeline’s. Or use the fields below."
        ),
        widget=forms.TextInput(attrs={"size": 60, "data-preview": "when-preview"}),
    )
    new_place = forms.CharField(
        label=_("or a new place"),
        required=False,
        max_length=400,
        help_text=_("Name, country — e.g. “Rom, Italien”; one the newsroom has is used."),
    )
    new_people = forms.CharField(
        label=_("and new people"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text=_("One a line: name, role, organisation — e.g. “John Kirby, Sprecher, "
                    "Weißes Haus”; people the newsroom has are used."),
    )  # fmt: skip

    class Meta:
        model = Event
        fields = ["timeline", "title", "slug", "summary", "body", *when.FIELDS, "place", "people",
                  "tags", "status", "publish_at", "retraction_reason"]  # fmt: skip
        widgets = {"publish_at": DATETIME["widget"]}
        field_classes = {"publish_at": DATETIME["form_class"]}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["start_date"].required = False  # `when` may give it
        if self.instance.pk:
            zone = self.instance.timeline.time_zone
            self.initial["when"] = when.editable_text(
                self.instance.fuzzy_date, get_language(), zone
            )

    def clean(self):
        cleaned = super().clean()
        if "_saveasnew" in self.data:  # "save as new": a new draft, under a free slug
            cleaned.update(status=Status.DRAFT, retraction_reason="", publish_at=None)
            if cleaned.get("timeline") and cleaned.get("slug"):
                cleaned["slug"] = free_slug_in(cleaned["timeline"], cleaned["slug"])
        text = (cleaned.get("when") or "").strip()
        if text and "when" in self.changed_data:
            try:
                fields = when.read_for(text, cleaned.get("timeline"))
            except when.WhenError as error:
                self.add_error("when", error.message)
                return cleaned
            for name in when.FIELDS:  # what the structured fields said gives way
                self.errors.pop(name, None)
            cleaned.update(fields)
        elif cleaned.get("start_date") is None and "start_date" not in self.errors:
            self.add_error("when", when.missing().message)
        self._read_new_entries(cleaned)
        return cleaned

    def _read_new_entries(self, cleaned):
        """The new place and people, checked now; found or made on saving."""
        for name, read in (("new_place", new_entries.read_place),
                           ("new_people", new_entries.read_people)):  # fmt: skip
            text = (cleaned.get(name) or "").strip()
            try:
                cleaned[name] = read(text) if text else None
            except forms.ValidationError as error:
                self.add_error(name, error)
        if cleaned.get("new_place") and cleaned.get("place"):
            self.add_error("new_place", _("Choose a place or name a new one."))

    def save(self, commit=True):
        if self.cleaned_data.get("new_place"):
            self.instance.place = new_entries.place_named(self.cleaned_data["new_place"])
        return super().save(commit)


def history_says(fields):
    """What the history of the events an action changes says: "<fields> changed", in
    each reader's language (the admin's own form of change message)."""
    reversion.set_comment(json.dumps([{"changed": {"fields": fields}}]))


def chosen(model, pk):
    """The `model` object with the primary key `pk` (text from a query), or None."""
    whole = pk.isascii() and pk.isdigit() and len(pk) < 19  # not "²", not 10**30
    return model.objects.filter(pk=int(pk)).first() if whole else None


def free_slug_in(timeline, slug):
    """`slug`, or `slug-2`, `slug-3` … — the first no event of `timeline` has."""
    taken = set(timeline.events.filter(slug__startswith=slug).values_list("slug", flat=True))
    return free_slug(slug, taken, Event._meta.get_field("slug").max_length)


@admin.register(Event)
class EventAdmin(DeskAdmin):
    form = EventForm
    # "Save as new": the event with its place, people, tags, quotes and sources, as a
    # new draft (EventForm.clean) — a follow-up story without typing it all again.
    save_as = True

    class Media:
        # `when` said back as typed, fields that fit; names for the autocomplete inputs.
        js = ("newsroom/event-form.js", "newsroom/select2-labels.js")

    def get_urls(self):
        preview = self.admin_site.admin_view(self.when_preview)
        return [path("when/", preview, name="events_event_when"), *super().get_urls()]

    def when_preview(self, request):
        """What readers will see for `?text=` in `?timeline=` (its language and zone) at
        `?place=`: {"label": …, "interval": …} or {"error": …}. Read-only; for the
        form's script."""
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        timeline = chosen(Timeline, request.GET.get("timeline", ""))
        place = chosen(Place, request.GET.get("place", ""))
        language = timeline.language if timeline else get_language()
        try:
            date = when.read_in(request.GET.get("text", "")[:200], timeline)
        except when.WhenError as error:
            return JsonResponse({"error": str(error.message)})
        home = timeline.time_zone if timeline else ""
        return JsonResponse({
            "label": date.label(language, home_zone=home,
                                place_name=place.name_for(date.zone) if place else ""),
            "interval": when.interval_text(date, language),
        })  # fmt: skip

    list_display = ("date", "title", "status", "timeline_title", "revision")
    list_display_links = ("title",)
    list_filter = (PeriodFilter, "timeline", "status", "precision", "tags", "people", "place")
    list_select_related = ("timeline", "place")
    search_fields = ("title", "summary", "body", "slug")
    autocomplete_fields = ("place", "people", "tags")
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = ("readers_see", "uuid", "revision", "first_published_at", "created_at",
                       "updated_at")  # fmt: skip
    inlines = (QuoteInline, SourceInline, CorrectionInline)
    actions = ("publish", "retract")
    fieldsets = (
        (None, {"fields": ("timeline", "title", "slug", "summary", "body")}),
        (
            _("When"),
            {
                "fields": (
                    "when",
                    "readers_see",
                    ("start_date", "end_date", "precision"),
                    ("start_time", "end_time", "time_zone"),
                )
            },
        ),
        (_("Where and who"), {"fields": ("place", "new_place", "people", "new_people", "tags")}),
        (_("Status"), {"fields": ("status", "publish_at", "retraction_reason")}),
        (
            _("Record"),
            {
                "classes": ("collapse",),
                "fields": ("uuid", "revision", "first_published_at", "created_at", "updated_at"),
            },
        ),
    )

    @admin.display(description=_("Readers see"))
    def readers_see(self, event):
        """The label and the days the saved date covers (the script says it while typing)."""
        if event.pk is None:
            return "–"
        language = event.timeline.language
        return f"{event.date_label(language)} · {when.interval_text(event.fuzzy_date, language)}"

    @admin.display(description=_("timeline"), ordering="timeline__title")
    def timeline_title(self, event):
        return event.timeline.title  # its own column class, cut short by desk.css

    @admin.display(description=_("date"), ordering="starts_on")
    def date(self, event):
        return event.date_label()

    def save_related(self, request, form, formsets, change):
        """The people chosen and those named in "und neue Personen" (EventForm) — made
        first, so that a quote's new speaker of the same name finds them."""
        named = [new_entries.person_named(f) for f in form.cleaned_data.get("new_people") or ()]
        super().save_related(request, form, formsets, change)
        form.instance.people.add(*named)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.status != Status.DRAFT:
            return False  # published events are retracted, not deleted
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def view_on_site(self, event):
        return event.get_absolute_url()

    @admin.action(description=_("Publish selected events"), permissions=["change"])
    def publish(self, request, queryset):
        history_says(["Status"])
        with transaction.atomic():
            drafts = list(queryset.filter(status=Status.DRAFT).select_for_update(of=("self",)))
            for event in drafts:
                event.publish()
        self.message_user(
            request,
            ngettext("%d event published.", "%d events published.", len(drafts)) % len(drafts),
            messages.SUCCESS,
        )

    @admin.action(description=_("Retract selected events"), permissions=["change"])
    def retract(self, request, queryset):
        events = queryset.filter(status=Status.PUBLISHED)
        form = RetractForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            history_says(["Status", "Reason for retraction"])
            with transaction.atomic():
                retracting = list(events.select_for_update(of=("self",)))
                for event in retracting:
                    event.retract(form.cleaned_data["reason"])
            count = len(retracting)
            self.message_user(
                request,
                ngettext("%d event retracted.", "%d events retracted.", count) % count,
                messages.SUCCESS,
            )
            return None
        return TemplateResponse(
            request,
            "admin/events/event/retract.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Retract events"),
                "opts": self.model._meta,
                "events": events,
                "form": form,
                "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
            },
        )


def view_on_site(request, content_type_id, object_id):
    """The admin's "view on site" redirect (admin/r/…), only for those who may view
    the object: Django's own tells any staff member an unpublished event's address."""
    try:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
    except (ContentType.DoesNotExist, ValueError):
        raise Http404 from None
    site = admin.site
    if not (
        site.is_registered(model) and site.get_model_admin(model).has_view_permission(request)
    ):
        raise Http404
    return shortcut(request, content_type_id, object_id)
