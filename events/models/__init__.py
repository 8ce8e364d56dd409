"""The newsroom's domain: timelines of dated events with places, people, quotes,
sources, tags and corrections.

`Event.objects.public()` is the one definition of what readers, feeds and
calendars may see. Dates are fuzzy (see `events.dates`); the interval they cover
is stored beside them so the database can sort and filter by it.
"""

from .catalog import Person, Place, Tag
from .event import Event, EventQuerySet
from .feed_archive import ArchivedEntries, FeedPage
from .loading import is_loading_data, loading_data
from .parts import Correction, Quote, Source
from .public_change import ChangeKind, PublicChange
from .rendering import EventRendering
from .status import PUBLIC_STATUSES, Status
from .timeline import LANGUAGE_CHOICES, Timeline

__all__ = [
    "LANGUAGE_CHOICES",
    "PUBLIC_STATUSES",
    "ArchivedEntries",
    "ChangeKind",
    "Correction",
    "Event",
    "EventQuerySet",
    "EventRendering",
    "FeedPage",
    "Person",
    "Place",
    "PublicChange",
    "Quote",
    "Source",
    "Status",
    "Tag",
    "Timeline",
    "is_loading_data",
    "loading_data",
]
