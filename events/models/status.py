"""Where an event stands in its life: a draft is never public; published and retracted
events are (a retracted one marked, with its reason)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")
    RETRACTED = "retracted", _("retracted")


PUBLIC_STATUSES = [Status.PUBLISHED, Status.RETRACTED]
